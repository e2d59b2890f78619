import assert from "node:assert/strict";
import { escapeHtml, markdownTable } from "../../lib/tasks/_markup.ts";

Deno.test("escapeHtml()", async (t) => {
  await t.step('escapes &, <, > and " (ampersands first, so nothing is escaped twice)', () => {
    assert.equal(escapeHtml(`a < b && c > "d"`), "a &lt; b &amp;&amp; c &gt; &quot;d&quot;");
    assert.equal(escapeHtml("&lt;"), "&amp;lt;");
  });
  await t.step("leaves other text as it is", () => {
    assert.equal(escapeHtml("KL(q ‖ p) = 0.5, it's fine"), "KL(q ‖ p) = 0.5, it's fine");
    assert.equal(escapeHtml(""), "");
  });
});

Deno.test("markdownTable()", async (t) => {
  await t.step("writes a header, a rule and one line per row", () => {
    assert.equal(
      markdownTable(["k", "SNR"], [[1, "0.5"], [10, 0.25]]),
      "| k | SNR |\n| --- | --- |\n| 1 | 0.5 |\n| 10 | 0.25 |",
    );
    assert.equal(markdownTable(["only"], []), "| only |\n| --- |");
  });
  await t.step("escapes | in cells, so that every line keeps its columns", () => {
    const md = markdownTable(["q", "a|b"], [["q = p(z|x)", 1]]);
    assert.equal(md, "| q | a\\|b |\n| --- | --- |\n| q = p(z\\|x) | 1 |");
    for (const line of md.split("\n")) {
      assert.equal(line.split(/(?<!\\)\|/).length - 2, 2, line);
    }
  });
});
