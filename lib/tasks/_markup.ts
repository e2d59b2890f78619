// The text formats the tasks write: text escaped for HTML and SVG, and
// Markdown tables. One of each, shared by every report and figure.

/**
 * Escapes text for HTML or SVG, in element content or in a double-quoted
 * attribute value: `&`, `<`, `>` and `"` become character references.
 *
 * @param text Any text.
 * @returns The text, safe to place between tags or inside `"…"`.
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(
    /"/g,
    "&quot;",
  );
}

/**
 * A Markdown (GitHub-flavoured) table: a header row, a `---` rule, then one
 * row per entry. A `|` inside a cell is escaped as `\|`, so that cells such
 * as "q = p(z|x)" stay in their column.
 *
 * @param header The column titles.
 * @param rows The cells, row by row; numbers are written with `String`.
 * @returns The table, lines joined by `\n`, with no trailing newline.
 */
export function markdownTable(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) =>
    `| ${cells.map((c) => String(c).replaceAll("|", "\\|")).join(" | ")} |`;
  return [line(header), `| ${header.map(() => "---").join(" | ")} |`, ...rows.map(line)].join(
    "\n",
  );
}
