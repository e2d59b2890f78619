// The option tables of docs/estimators.md are the ones generated from the
// settings of `deno task projection` and `deno task variance`.
import assert from "node:assert/strict";
import { optionTableRows } from "../../lib/kit/views.ts";
import { PROJECTION_TASK } from "../../lib/tasks/projection.ts";
import { VARIANCE_TASK } from "../../lib/tasks/variance.ts";
import { docOptionTable, ROOT } from "./_docs.ts";

for (const task of [PROJECTION_TASK, VARIANCE_TASK]) {
  Deno.test(`docs/estimators.md: the options of deno task ${task.name} are the generated table`, async () => {
    const page = await Deno.readTextFile(`${ROOT}docs/estimators.md`);
    const want = optionTableRows(task);
    assert.deepEqual(
      docOptionTable(page, `### Options of \`deno task ${task.name}\``),
      want,
      `regenerate the table:\n${want.map((r) => `| ${r.join(" | ")} |`).join("\n")}`,
    );
  });
}
