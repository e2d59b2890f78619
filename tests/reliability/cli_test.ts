// Garbage for every flag of `deno task train`: each is either a valid value,
// read exactly, or a one-line usage error naming the flag — never a stack
// trace, never a rounded number, never a hang.
import assert from "node:assert/strict";
import { fc } from "../_fc.ts";
import { DEFAULT_CONFIG, parseTrainArgs, type TrainConfig } from "../../train.ts";
import { SETTINGS } from "../../lib/train/config.ts";
import { runTask } from "../tasks/_run.ts";

/** Each value flag, the config field it sets, and the flags it needs beside it. */
const FLAGS: Record<string, { field?: keyof TrainConfig; needs?: string[] }> = {
  model: { field: "model" },
  beta: { field: "beta", needs: ["--model=beta-vae"] },
  capacity: { needs: ["--model=beta-vae"] },
  "kl-budget": { field: "klBudget", needs: ["--model=beta-vae"] },
  "dual-step": { field: "dualStepSize", needs: ["--model=beta-vae", "--kl-budget=1"] },
  latent: { field: "latentSize" },
  hidden: { field: "hiddenSizes" },
  likelihood: { field: "likelihood" },
  "kl-estimator": { field: "klEstimator" },
  "importance-samples": { field: "importanceSamples" },
  "eval-samples": { field: "evalSamples" },
  epochs: { field: "epochs" },
  "batch-size": { field: "batchSize" },
  "learning-rate": { field: "learningRate" },
  backend: { field: "backend" },
  dataset: { field: "dataset" },
  "train-size": { field: "trainSize" },
  seed: { field: "seed" },
  out: {},
};

const NEAR_MISSES = [
  "",
  "-0",
  "0",
  "NaN",
  "Infinity",
  "-Infinity",
  "1e400",
  "1e-400",
  "9007199254740991",
  "9007199254740992",
  "9007199254740993",
  "0x10",
  "0b1",
  " 3",
  "3 ",
  "3.0",
  "3.5",
  "1e3",
  "+3",
  "-3",
  "１２",
  "☃",
  "\u0000",
  "a\nb",
  "x".repeat(10_000),
  "1,2",
  "1,,2",
  "5,2,1000",
  "vae",
  "cpu",
  "toString",
  "__proto__",
];

const INTEGER = /^[0-9]+$/;
const DECIMAL = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

/** What the flag's value must be read as, if it is valid (an independent reading of the rules). */
function expected(flag: string, text: string): unknown {
  const setting = Object.values(SETTINGS).find((s) => s.flag === flag);
  const int = (t: string, min: number, max: number) =>
    INTEGER.test(t) && BigInt(t) >= BigInt(min) && BigInt(t) <= BigInt(max) ? Number(t) : undefined;
  const num = (t: string, min: number, exclusive = false) => {
    const n = DECIMAL.test(t) ? Number(t) : NaN;
    return Number.isFinite(n) && (exclusive ? n > min : n >= min) ? n : undefined;
  };
  if (flag === "out") return text !== "" && !text.includes("\0") ? text : undefined;
  if (flag === "capacity") {
    const p = text.split(",");
    if (p.length < 2 || p.length > 3) return undefined;
    const max = num(p[0]!, 0), epochs = int(p[1]!, 1, 1_000_000);
    const gamma = p[2] === undefined ? 1000 : num(p[2], 0, true);
    return max === undefined || epochs === undefined || gamma === undefined
      ? undefined
      : { max, epochs, gamma };
  }
  const rule = setting!.rule;
  switch (rule.kind) {
    case "integer":
      return int(text, rule.min, rule.max);
    case "integers": {
      const parts = text.split(",").map((p) => int(p, rule.min, rule.max));
      return parts.length <= rule.maxLength && parts.every((p) => p !== undefined)
        ? parts
        : undefined;
    }
    case "number":
      return num(text, rule.min, rule.exclusive);
    case "choice":
      return rule.choices.includes(text) ? text : undefined;
    case "text":
      return text !== "" && text.length <= rule.maxLength && !text.includes("\0")
        ? text
        : undefined;
    default:
      return undefined; // capacity's parts: handled above
  }
}

/** Parses one flag with its value and checks the outcome against {@linkcode expected}. */
function check(flag: string, text: string): void {
  const r = parseTrainArgs([...(FLAGS[flag]!.needs ?? []), `--${flag}=${text}`]);
  const want = expected(flag, text);
  const what = `--${flag}=${JSON.stringify(text.slice(0, 40))}`;
  if (want === undefined) {
    assert.equal(r.kind, "error", `${what} was accepted`);
    if (r.kind !== "error") return;
    assert.ok(r.message.includes(`--${flag}`), `${what}: ${r.message}`);
    assert.ok(!r.message.includes("\n"), `${what}: not one line`);
    assert.ok(r.message.length <= 401, `${what}: ${r.message.length} characters`);
    return;
  }
  assert.equal(r.kind, "train", `${what} was refused: ${r.kind === "error" ? r.message : ""}`);
  if (r.kind !== "train") return;
  const field = FLAGS[flag]!.field;
  if (flag === "out") assert.equal(r.out, want, what);
  else if (flag === "capacity") assert.deepEqual(r.config.capacity, want, what);
  else assert.deepEqual(r.config[field!], want, what);
}

Deno.test("parseTrainArgs()", async (t) => {
  await t.step("no arguments give the defaults; --help gives the usage", () => {
    assert.deepEqual(parseTrainArgs([]), { kind: "train", config: DEFAULT_CONFIG });
    assert.equal(parseTrainArgs(["--epochs=x", "-h"]).kind, "help", "--help wins");
    const h = parseTrainArgs(["--help"]);
    assert.equal(h.kind, "help");
    for (const flag of Object.keys(FLAGS)) {
      assert.ok(h.kind === "help" && h.usage.includes(`--${flag}`), flag);
    }
  });

  await t.step("near-miss values of every flag are read exactly or refused naming the flag", () => {
    for (const flag of Object.keys(FLAGS)) {
      for (const v of NEAR_MISSES) check(flag, v);
    }
  });

  await t.step("fc.anything(), stringified, for every flag", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(FLAGS)),
        fc.anything({ withBigInt: true, withNullPrototype: true, withTypedArray: true }),
        fc.boolean(),
        (flag, value, json) => {
          let text: string;
          try {
            text = json ? JSON.stringify(value) ?? "undefined" : String(value);
          } catch {
            text = Object.prototype.toString.call(value);
          }
          check(flag, text);
        },
      ),
      { numRuns: 500, examples: [["seed", 1e20, false], ["epochs", -0, false]] },
    );
  });

  await t.step("numbers near every bound are read exactly, never rounded", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(FLAGS).filter((f) => f !== "out")),
        fc.oneof(
          fc.bigInt({ min: -2n, max: 2n ** 54n }).map(String),
          fc.double().map(String),
          fc.integer({ min: -3, max: 1_000_003 }).map(String),
        ),
        (flag, text) => check(flag, text),
      ),
      { numRuns: 300 },
    );
  });

  await t.step("any argument list gives a result, never an exception", () => {
    const piece = fc.oneof(
      fc.constantFrom(...Object.keys(FLAGS).map((f) => `--${f}`), "--resume", "--help", "-h"),
      fc.string(),
      fc.constantFrom(...NEAR_MISSES),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (args) => {
        const r = parseTrainArgs(args);
        assert.ok(["help", "train", "resume", "error"].includes(r.kind));
        if (r.kind === "error") assert.ok(!r.message.includes("\n"));
      }),
      { numRuns: 300 },
    );
  });

  await t.step("a repeated option is refused, even with the same value", () => {
    for (const args of [["--epochs=3", "--epochs=3"], ["--resume", "--resume"]]) {
      const r = parseTrainArgs(args);
      assert.equal(r.kind, "error");
      assert.match(r.kind === "error" ? r.message : "", /is given twice/);
    }
  });

  await t.step("options that would be ignored are refused", () => {
    for (
      const [args, message] of [
        [["--beta=2"], /--beta applies only to --model beta-vae without --capacity or --kl-budget/],
        [
          ["--model=beta-vae", "--kl-budget=3", "--beta=2"],
          /--beta applies only to --model beta-vae without --capacity or --kl-budget/,
        ],
        [
          ["--model=beta-vae", "--dual-step=0.1"],
          /--dual-step applies only to --model beta-vae and --kl-budget/,
        ],
        [
          ["--model=ae", "--importance-samples=5"],
          /--importance-samples applies only to --model vae or beta-vae/,
        ],
        [["--resume", "--seed=3"], /--resume keeps the run's configuration: drop --seed/],
      ] as const
    ) {
      const r = parseTrainArgs([...args]);
      assert.equal(r.kind, "error", args.join(" "));
      assert.match(r.kind === "error" ? r.message : "", message);
    }
  });

  await t.step("--resume may change only epochs, eval-samples and backend", () => {
    assert.deepEqual(
      parseTrainArgs(["--resume", "--out=-x", "--eval-samples=5000", "--backend=cpu"]),
      { kind: "resume", out: "-x", changes: { evalSamples: 5000, backend: "cpu" } },
    );
  });
});

Deno.test("deno task train with garbage flags exits 2 with one line naming the flag", async () => {
  // A few real processes (each costs ~0.3 s), drawn from the same garbage.
  const cases = fc.sample(
    fc.tuple(
      fc.constantFrom(...Object.keys(FLAGS).filter((f) => f !== "out" && f !== "dataset")),
      fc.oneof(fc.constantFrom(...NEAR_MISSES), fc.string(), fc.anything().map(String)),
    ).filter(([flag, text]) => expected(flag, text) === undefined),
    { seed: 20261123, numRuns: 8 },
  );
  await Promise.all(cases.map(async ([flag, text]) => {
    const r = await runTask("lib/tasks/train.ts", [`--${flag}=${text}`, "--out=/nonexistent/x"], {
      timeoutMs: 30_000,
    });
    const what = `--${flag}=${JSON.stringify(text.slice(0, 40))}`;
    assert.equal(r.timedOut, false, `${what} hung`);
    assert.equal(r.code, 2, `${what}: ${r.stderr}`);
    const [first, blank, usage] = r.stderr.split("\n");
    assert.match(first!, /^error: /, what);
    assert.ok(first!.includes(`--${flag}`), `${what}: ${first}`);
    assert.equal(blank, "", what);
    assert.match(usage!, /^Usage: deno task train/, what);
    assert.doesNotMatch(r.stderr, /\bat .*:\d+:\d+/, what);
  }));
});
