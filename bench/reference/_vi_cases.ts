// The black-box VI step of `deno task bench:reference`: four fits of
// fitSurrogatePosterior, from the overhead floor to a large likelihood, each
// against the same loop in PyTorch (vi_step.py: same target, the
// reparameterized ELBO with the entropy in closed form, Adam).
import {
  fitSurrogatePosterior,
  fullRankSurrogate,
  meanFieldSurrogate,
  type TrainableSurrogate,
} from "../../tensor.ts";
import { tf } from "../../lib/tensor/_tf.ts";
import { target as eightSchools } from "../../examples/eight_schools.ts";
import { runTorch } from "./_torch.ts";
import { startBackend } from "../../lib/train/backend_start.ts";

/** A case: its name (as vi_step.py knows it), the fit's shape, and its target. */
export interface ViCase {
  readonly name: string;
  readonly label: string;
  readonly samples: number;
  make(): { target: (z: tf.Tensor) => tf.Tensor; q: TrainableSurrogate; dispose(): void };
}

/** Logistic regression on n × d generated data, a standard normal prior on the weights. */
function logistic(n: number, d: number, q: (d: number) => TrainableSurrogate) {
  let s = 1;
  const u = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
  const x = tf.tensor2d(Float32Array.from({ length: n * d }, u), [n, d]);
  const y = tf.tensor1d(Float32Array.from({ length: n }, () => (u() > 0 ? 1 : 0)));
  return {
    // log p(w, y) = Σᵢ [yᵢ ℓᵢ − softplus(ℓᵢ)] − ½‖w‖², ℓ = X w, for w [S, d].
    target: (w: tf.Tensor) =>
      tf.tidy(() => {
        const logits = tf.matMul(w, x, false, true);
        const lik = tf.sum(tf.sub(tf.mul(y, logits), tf.softplus(logits)), 1);
        return tf.sub(lik, tf.mul(0.5, tf.sum(tf.square(w), 1)));
      }),
    q: q(d),
    dispose: () => tf.dispose([x, y]),
  };
}

export const VI_CASES: readonly ViCase[] = [
  {
    name: "trivial",
    label: "trivial target (d = 2, 1 sample): the overhead floor",
    samples: 1,
    make: () => ({
      target: (z: tf.Tensor) => tf.tidy(() => tf.mul(-0.5, tf.sum(tf.square(z), 1))),
      q: meanFieldSurrogate(2, { seed: 1 }),
      dispose: () => {},
    }),
  },
  {
    name: "eight_schools",
    label: "eight schools, mean field, 16 samples",
    samples: 16,
    make: () => ({
      target: eightSchools,
      q: meanFieldSurrogate(10, { seed: 1 }),
      dispose: () => {},
    }),
  },
  {
    name: "logistic_small",
    label: "logistic regression 200 × 4, full rank, 16 samples",
    samples: 16,
    make: () => logistic(200, 4, (d) => fullRankSurrogate(d, { seed: 1 })),
  },
  {
    name: "logistic_large",
    label: "logistic regression 10,000 × 50, mean field, 8 samples",
    samples: 8,
    make: () => logistic(10_000, 50, (d) => meanFieldSurrogate(d, { seed: 1 })),
  },
];

/** Milliseconds of each of `steps` steps of a case's fit (after 10), on the active backend. */
export async function elboViSteps(c: ViCase, steps: number): Promise<number[]> {
  const { target, q, dispose } = c.make();
  const times: number[] = [];
  let last = performance.now();
  try {
    await fitSurrogatePosterior(target, q, {
      steps: steps + 10,
      samples: c.samples,
      learningRate: 0.01,
      onStep: () => {
        const now = performance.now();
        times.push(now - last);
        last = now;
      },
    });
  } finally {
    q.dispose();
    dispose();
  }
  return times.slice(10);
}

/** PyTorch's median ms per step of a case, or why it could not run. */
export async function torchViStep(c: ViCase, steps: number): Promise<number | string> {
  const r = await runTorch("vi_step.py", 1, ["--case", c.name, "--steps", String(steps)]);
  return typeof r === "string" ? r : r.ms_per_step as number;
}

/** The backends elbo's side runs each case on; the best counts. */
const ELBO_SIDES = [
  { label: "elbo, cpu", start: () => startBackend({ backend: "cpu", threads: 1, blas: "off" }) },
  { label: "elbo, wasm", start: () => startBackend({ backend: "wasm", threads: 1, blas: "off" }) },
  {
    label: "elbo, wasm + BLAS",
    start: () => startBackend({ backend: "wasm", threads: 1, blas: "on" }),
  },
] as const;

/**
 * Times every case `rounds` times over, alternating elbo's backends and
 * PyTorch, and prints the table: median ms a step, one thread each side.
 */
export async function viTable(rounds: number, steps: number): Promise<void> {
  const ms = new Map<string, number[]>(), why = new Map<string, string>();
  const add = (key: string, v: number[]) => ms.set(key, [...(ms.get(key) ?? []), ...v]);
  for (let round = 0; round < rounds; round++) {
    for (const c of VI_CASES) {
      for (const side of ELBO_SIDES) {
        try {
          await side.start();
        } catch (e) {
          why.set(side.label, (e as Error).message);
          continue;
        }
        add(`${c.name}/${side.label}`, await elboViSteps(c, steps));
      }
      const t = await torchViStep(c, steps);
      if (typeof t === "string") why.set("PyTorch", t);
      else add(`${c.name}/PyTorch`, [t]);
    }
    console.error(`black-box VI: round ${round + 1}/${rounds} done`);
  }
  const median = (xs: number[] | undefined) => {
    if (!xs?.length) return NaN;
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  const sides = [...ELBO_SIDES.map((s) => s.label), "PyTorch"];
  console.log(
    `\nBlack-box VI step, median ms (${steps} steps a round after 10, ${rounds} rounds, one thread each side)\n`,
  );
  console.log(`| case | ${sides.join(" | ")} | elbo's best ÷ PyTorch |`);
  console.log(`| --- | ${sides.map(() => "---").join(" | ")} | --- |`);
  for (const c of VI_CASES) {
    const v = sides.map((s) => median(ms.get(`${c.name}/${s}`)));
    const best = Math.min(...v.slice(0, -1).filter((x) => !Number.isNaN(x)));
    const cells = v.map((x, i) =>
      Number.isNaN(x) ? `unavailable: ${why.get(sides[i]!) ?? "?"}` : x.toFixed(3)
    );
    const ratio = Number.isNaN(v.at(-1)!) ? "–" : (best / v.at(-1)!).toFixed(2);
    console.log(`| ${c.label} | ${cells.join(" | ")} | ${ratio} |`);
  }
}
