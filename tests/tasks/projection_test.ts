import assert from "node:assert/strict";
import { runTask } from "./_run.ts";

Deno.test("deno task projection", async (t) => {
  const out = await Deno.makeTempDir();
  await t.step("prints both divergences for both fits and writes the figure", async () => {
    const r = await runTask("lib/tasks/projection.ts", ["--steps", "600", "--out", out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /M-projection \(forward KL\).*±.*±/);
    assert.match(r.stdout, /I-projection \(reverse KL\).*±.*±/);
    const svg = await Deno.readTextFile(`${out}/projection.svg`);
    assert.ok(svg.startsWith("<svg") && svg.includes("<path"));
    const json = JSON.parse(await Deno.readTextFile(`${out}/projection.json`));
    assert.ok(json.mProjection.forwardKL.value < json.iProjection.forwardKL.value);
    assert.ok(json.iProjection.reverseKL.value < json.mProjection.reverseKL.value);
  });
  await t.step("a bad option gets a message and the usage, no stack trace", async () => {
    const r = await runTask("lib/tasks/projection.ts", ["--stepz", "3"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /error: .*stepz/);
    assert.match(r.stderr, /Usage: deno task projection/);
    assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
    const s = await runTask("lib/tasks/projection.ts", ["--steps=-1"]);
    assert.equal(s.code, 2);
    assert.match(s.stderr, /--steps must be an integer in \[1, 1000000\]: got "-1"/);
  });
  await t.step(
    "an --out that is a file, or holds other files, is refused and left as it was",
    async () => {
      const file = `${out}/a-file`;
      await Deno.writeTextFile(file, "mine");
      const f = await runTask("lib/tasks/projection.ts", ["--out", file]);
      assert.equal(f.code, 1);
      assert.match(f.stderr, /^error: .*a-file is a file, not a folder: choose another --out\n$/);
      const mine = `${out}/mine`;
      await Deno.mkdir(mine);
      await Deno.writeTextFile(`${mine}/notes.md`, "mine");
      const m = await runTask("lib/tasks/projection.ts", ["--out", mine]);
      assert.equal(m.code, 1);
      assert.match(m.stderr, /holds "notes\.md", which no projection run writes/);
      assert.deepEqual([...Deno.readDirSync(mine)].map((e) => e.name), ["notes.md"]);
      assert.equal(await Deno.readTextFile(file), "mine");
    },
  );
  await Deno.remove(out, { recursive: true });
});
