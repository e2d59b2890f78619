// The option tables of docs/estimators.md and docs/browser.md are the ones
// generated from the settings of `deno task projection`, `variance` and `demo`.
import assert from "node:assert/strict";
import { optionTableRows } from "../../lib/kit/views.ts";
import { PROJECTION_TASK } from "../../lib/tasks/projection.ts";
import { VARIANCE_TASK } from "../../lib/tasks/variance.ts";
import { DEMO_TASK } from "../../lib/tasks/demo.ts";
import { docOptionTable, ROOT } from "./_docs.ts";

for (
  const [task, doc] of [
    [PROJECTION_TASK, "estimators.md"],
    [VARIANCE_TASK, "estimators.md"],
    [DEMO_TASK, "browser.md"],
  ] as const
) {
  Deno.test(`docs/${doc}: the options of deno task ${task.name} are the generated table`, async () => {
    const page = await Deno.readTextFile(`${ROOT}docs/${doc}`);
    const want = optionTableRows(task);
    assert.deepEqual(
      docOptionTable(page, `### Options of \`deno task ${task.name}\``),
      want,
      `regenerate the table:\n${want.map((r) => `| ${r.join(" | ")} |`).join("\n")}`,
    );
  });
}
