// A report as blocks — headings, paragraphs, tables, images — written the
// same way as report.md and report.html (training runs and sweeps).
import { escapeHtml, markdownTable } from "./_markup.ts";

/** One block of a report. */
export type Block = { kind: "h"; text: string } | { kind: "p"; text: string } | {
  kind: "table";
  head: string[];
  rows: (string | number)[][];
} | {
  kind: "img";
  src: string;
  alt: string;
};

/** The report as Markdown: the first heading is the title. */
export function toMarkdown(blocks: Block[]): string {
  let first = true;
  return blocks.map((b) => {
    switch (b.kind) {
      case "h": {
        const s = `${first ? "#" : "##"} ${b.text}`;
        first = false;
        return s;
      }
      case "p":
        return b.text;
      case "img":
        return `![${b.alt}](${b.src})`;
      case "table":
        return markdownTable(b.head, b.rows);
    }
  }).join("\n\n") + "\n";
}

const inline = (s: string) => escapeHtml(s).replace(/`([^`]+)`/g, "<code>$1</code>");

/** The report as a standalone HTML page: the first heading is the title. */
export function toHtml(blocks: Block[], title = "elbo report"): string {
  let first = true;
  const body = blocks.map((b) => {
    switch (b.kind) {
      case "h": {
        const tag = first ? "h1" : "h2";
        first = false;
        return `<${tag}>${escapeHtml(b.text)}</${tag}>`;
      }
      case "p":
        return `<p>${inline(b.text)}</p>`;
      case "img":
        return `<p><img src="${b.src}" alt="${escapeHtml(b.alt)}"></p>`;
      case "table":
        return `<table><tr>${b.head.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr>${
          b.rows.map((r) => `<tr>${r.map((c) => `<td>${inline(String(c))}</td>`).join("")}</tr>`)
            .join("")
        }</table>`;
    }
  }).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:left}img{max-width:100%}code{background:#f3f3f3}</style>
</head><body>
${body}
</body></html>
`;
}
