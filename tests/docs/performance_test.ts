// Every task of deno.json is documented, and every bench script answers
// --help and a bad option as the tasks do: the usage, or one line and exit 2.
import assert from "node:assert/strict";
import { docText, ROOT } from "./_docs.ts";

const TASKS_WITHOUT_DOCS = new Set(["bench", "test"]);

Deno.test("every deno.json task is named in README.md or docs/", async () => {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  let docs = await docText("README.md");
  for await (const f of Deno.readDir(`${ROOT}docs`)) {
    if (f.name.endsWith(".md")) docs += await docText(`docs/${f.name}`);
  }
  for (const task of Object.keys(config.tasks)) {
    if (TASKS_WITHOUT_DOCS.has(task)) continue;
    assert.ok(docs.includes(`deno task ${task}`), `no page shows deno task ${task}`);
  }
});

for (const task of ["bench:reference", "bench:quality", "bench:threads"]) {
  Deno.test(`deno task ${task}: --help, and a bad option is one line, exit 2`, async () => {
    const run = async (args: string[]) => {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["task", task, ...args],
        cwd: ROOT,
        stdout: "piped",
        stderr: "piped",
        env: { NO_COLOR: "1" },
      }).output();
      const dec = new TextDecoder();
      return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
    };
    const help = await run(["--help"]);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, new RegExp(`^Usage: deno task ${task} \\[options\\]`));
    for (const args of [["--bogus"], ["--rounds", "0"], ["extra"]]) {
      const r = await run(args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      const errors = r.stderr.split("\n").filter((l) => l.startsWith("error: "));
      assert.equal(errors.length, 1, r.stderr);
      assert.doesNotMatch(r.stderr, /^\s+at /m, "no stack trace");
      assert.match(r.stderr, /Usage: deno task/);
    }
  });
}
