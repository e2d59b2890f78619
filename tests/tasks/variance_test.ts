import assert from "node:assert/strict";
import { runTask } from "./_run.ts";

Deno.test("deno task variance", async () => {
  const out = await Deno.makeTempDir();
  const r = await runTask("lib/tasks/variance.ts", ["--reps", "20", "--out", out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /∇ stickingTheLanding/);
  assert.match(r.stdout, /DReG SNR/);
  const json = JSON.parse(await Deno.readTextFile(`${out}/variance.json`));
  const cell = (model: string, point: string, estimator: string, samples: number) =>
    json.rows.find((x: { model: string; point: string; estimator: string; samples: number }) =>
      x.model === model && x.point.startsWith(point) && x.estimator === estimator &&
      x.samples === samples
    );
  // The claims of docs/estimators.md, at the table's sample count.
  const sf = cell("linear-Gaussian", "start", "∇ scoreFunction", 10);
  const rp = cell("linear-Gaussian", "start", "∇ reparameterization", 10);
  assert.ok(rp.variance * 4 < sf.variance, "reparameterization below the score function");
  const stl = cell("linear-Gaussian", "optimum", "∇ stickingTheLanding", 10);
  assert.ok(stl.variance < 1e-20, "sticking the landing is noise-free at the posterior");
  for (const f of ["variance.svg", "snr.svg", "variance.md"]) {
    assert.ok((await Deno.stat(`${out}/${f}`)).size > 100);
  }
  // The cell "q = p(z|x)" keeps its column: the | is escaped.
  const md = await Deno.readTextFile(`${out}/variance.md`);
  assert.match(md, /\| linear-Gaussian, optimum q = p\(z\\\|x\) \| ∇ stickingTheLanding \| 10 \|/);
  // Run again into the same folder: its own files are replaced, a bad option is one line.
  const again = await runTask("lib/tasks/variance.ts", ["--reps", "2", "--out", out]);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /^error: --reps must be an integer in \[3, 100000\]: got "2"\n/);
  await Deno.remove(out, { recursive: true });
});
