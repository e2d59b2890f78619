// What README.md states that a run can check: the projection table, the
// summary of the variance study, the options of `deno task train`, the
// entries of the package, the version it asks to be cited by, and the
// default run's numbers — its first epoch always (a few seconds), the whole
// run with ELBO_DOCS_FULL=1 (about a minute on two cores).
import assert from "node:assert/strict";
import { assertMentions, docText, fullChecks, ROOT, runDenoTask, signed } from "./_docs.ts";

const PAGE = "README.md";

Deno.test("README.md: the projection table is what deno task projection prints", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await runDenoTask(["projection", "--out", `${dir}/p`]);
    const r = JSON.parse(await Deno.readTextFile(`${dir}/p/projection.json`));
    const kl = (e: { value: number; standardError: number }) =>
      `${e.value.toFixed(3)} ± ${e.standardError.toFixed(3)}`;
    const text = await docText(PAGE);
    for (
      const [name, fit] of [
        ["M-projection (forward KL)", r.mProjection],
        ["I-projection (reverse KL)", r.iProjection],
      ]
    ) {
      assertMentions(text, `| ${name} | ${kl(fit.forwardKL)} | ${kl(fit.reverseKL)} |`, PAGE);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("README.md: the variance summary quotes the ratios of deno task variance", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await runDenoTask(["variance", "--out", `${dir}/v`]);
    const r = JSON.parse(await Deno.readTextFile(`${dir}/v/variance.json`));
    const v = (model: string, point: string, estimator: string) =>
      r.rows.find((x: { model: string; point: string; estimator: string; samples: number }) =>
        x.model === model && x.point.startsWith(point) && x.estimator === estimator &&
        x.samples === 10
      ).variance as number;
    const lin = "linear-Gaussian", logit = "logistic regression";
    const low = v(lin, "start", "∇ scoreFunction") / v(lin, "start", "∇ reparameterization");
    const high = v(logit, "start", "∇ scoreFunction") / v(logit, "start", "∇ reparameterization");
    const stl = v(logit, "fitted", "∇ reparameterization") /
      v(logit, "fitted", "∇ stickingTheLanding");
    const kl = v(logit, "fitted", "ELBO analyticKL") / v(logit, "fitted", "ELBO monteCarlo");
    const dreg = r.snr.dreg.at(-1) / r.snr.dreg[0];
    const text = await docText(PAGE);
    assertMentions(text, `${low.toFixed(0)}–${high.toFixed(0)}× below the score function`, PAGE);
    assertMentions(text, `${stl.toFixed(0)}× below reparameterization`, PAGE);
    assertMentions(text, `${kl.toFixed(0)}× worse near it`, PAGE);
    assertMentions(text, `${dreg.toFixed(1)}× from k = 1 to 300`, PAGE);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("README.md: the option list names every option of deno task train --help", async () => {
  const { stdout } = await runDenoTask(["train", "--help"]);
  const flags = [...new Set([...stdout.matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1]!))];
  assert.ok(flags.length > 20, `--help lists ${flags.length} options`);
  const page = await Deno.readTextFile(`${ROOT}${PAGE}`);
  const block = page.slice(page.indexOf("Options (`deno task train --help`"));
  const list = block.slice(
    block.indexOf("```text"),
    block.indexOf("```", block.indexOf("```text") + 7),
  );
  for (const flag of flags.filter((f) => f !== "--help")) {
    assert.match(list, new RegExp(`${flag}(?![a-z-])`), `README's option list lacks ${flag}`);
  }
});

Deno.test("README.md: every entry of deno.json's exports is named, and the version cited is deno.json's", async () => {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  const text = await docText(PAGE);
  for (const entry of Object.keys(config.exports)) {
    const name = entry === "." ? config.name : `${config.name}${entry.slice(1)}`;
    assertMentions(text, `\`${name}\``, PAGE);
  }
  const cff = await Deno.readTextFile(`${ROOT}CITATION.cff`);
  assert.equal(cff.match(/^version: (\S+)$/m)?.[1], config.version, "CITATION.cff's version");
  assertMentions(text, `version = {${config.version}}`, PAGE);
  assert.match(cff, new RegExp(`^license: ${config.license}$`, "m"));
});

/** The first epoch of the default run, as `deno task train --epochs 1` prints it. */
Deno.test("README.md: deno task train --epochs 1 prints the line the README promises", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { stdout } = await runDenoTask(
      // The README's command; --eval-samples 1 only shortens the evaluation after the line.
      ["train", "--epochs", "1", "--eval-samples", "1", "--blas", "off", "--out", `${dir}/run`],
      120_000,
    );
    const line = stdout.split("\n").find((l) => l.startsWith("epoch 1/1"));
    assert.ok(line, stdout);
    const m = line.match(/(loss \S+ \(rec \S+, KL \S+\) {2}test ELBO \S+)/);
    assert.ok(m, line);
    assertMentions(await docText(PAGE), `\`${m[1]!.replace(/ {2}/g, " ")}\``, PAGE);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "README.md: the default run's table (ELBO_DOCS_FULL=1: trains it, about a minute)",
  ignore: !fullChecks(),
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      await runDenoTask(["train", "--blas", "off", "--out", `${dir}/run`], 900_000);
      const lines = (await Deno.readTextFile(`${dir}/run/metrics.jsonl`)).trim().split("\n");
      const f = JSON.parse(lines.at(-1)!);
      const text = await docText(PAGE);
      const nats = (v: number) => signed(v.toFixed(2));
      assertMentions(text, `| ${nats(f.elbo)} nats |`, PAGE);
      assertMentions(text, `| ${nats(f.logLikelihood)} nats |`, PAGE);
      assertMentions(text, `| ${f.reconstruction.toFixed(2)} / ${f.kl.toFixed(2)} nats |`, PAGE);
      assertMentions(text, `| ${f.activeUnits} of 20 |`, PAGE);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
