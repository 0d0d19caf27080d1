import type { RunDir } from "../results/runDir.js";
import type { RenderedFigure } from "./charts.js";
import type { Table } from "./tables.js";

/** Text may hold `code` spans; nothing else is markup. */
export type Block =
  | { kind: "text"; text: string }
  | { kind: "list"; items: string[] }
  | { kind: "figure"; figure: RenderedFigure }
  | { kind: "table"; table: Table };

export interface Section {
  title: string;
  blocks: Block[];
}

/** A report, rendered as Markdown (charts as PNG files beside it) and as one self-contained HTML page (charts as inline SVG). */
export interface ReportDocument {
  title: string;
  lead: string[];
  sections: Section[];
}

export const text = (t: string): Block => ({ kind: "text", text: t });
export const list = (items: string[]): Block => ({ kind: "list", items });
export const figure = (f: RenderedFigure): Block => ({ kind: "figure", figure: f });
export const tableBlock = (t: Table): Block => ({ kind: "table", table: t });

/** Writes report.md, report.html and figures/<name>.{svg,png,csv} into the staged folder. */
export function writeReport(dir: RunDir, doc: ReportDocument): void {
  dir.folder("figures");
  for (const f of figures(doc)) {
    dir.write(`figures/${f.name}.svg`, f.svg);
    dir.write(`figures/${f.name}.png`, f.png);
    dir.write(`figures/${f.name}.csv`, f.csv);
  }
  dir.write("report.md", toMarkdown(doc));
  dir.write("report.html", toHtml(doc));
}

function figures(doc: ReportDocument): RenderedFigure[] {
  return doc.sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === "figure" ? [b.figure] : [])));
}

function anchor(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function toMarkdown(doc: ReportDocument): string {
  const out = [`# ${doc.title}`, "", ...doc.lead.flatMap((p) => [p, ""]), "Contents:", ""];
  doc.sections.forEach((s, i) => out.push(`${i + 1}. [${s.title}](#${anchor(s.title)})`));
  out.push("");
  for (const s of doc.sections) {
    out.push(`## ${s.title}`, "");
    for (const b of s.blocks) {
      if (b.kind === "text") out.push(b.text, "");
      else if (b.kind === "list") out.push(...b.items.map((item) => `- ${item}`), "");
      else if (b.kind === "table") out.push(`**${b.table.title}**`, "", b.table.markdown, "", `*${b.table.note}*`, "");
      else {
        const f = b.figure;
        out.push(
          `![${f.title}](figures/${f.name}.png)`,
          "",
          `*${f.caption}* Data: [${f.name}.csv](figures/${f.name}.csv), vector: [${f.name}.svg](figures/${f.name}.svg).`,
          "",
        );
      }
    }
  }
  return out.join("\n");
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Escaped text with `code` spans. */
function inline(s: string): string {
  return escapeHtml(s).replace(/`([^`]+)`/g, "<code>$1</code>");
}

const STYLE = `
body { font-family: "DejaVu Sans", Verdana, sans-serif; color: #222; margin: 0; background: #fafafa; }
main { max-width: 980px; margin: 0 auto; padding: 24px 32px 64px; background: white; }
h1 { font-size: 26px; margin-bottom: 8px; }
h2 { font-size: 20px; margin-top: 40px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 6px; }
p, li { line-height: 1.5; font-size: 14px; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 12.5px; background: #f1f1f1; padding: 0 3px; border-radius: 3px; }
figure { margin: 20px 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 13px; color: #444; line-height: 1.45; margin-top: 4px; }
.table { overflow-x: auto; margin: 12px 0 20px; }
table { border-collapse: collapse; font-size: 12.5px; }
th, td { border-bottom: 1px solid #e4e4e4; padding: 4px 10px; white-space: nowrap; }
th { background: #f3f3f3; font-weight: 600; }
.note { font-size: 12.5px; color: #555; margin-top: 4px; }
nav ol { font-size: 14px; }
`;

function toHtml(doc: ReportDocument): string {
  const body: string[] = [`<h1>${inline(doc.title)}</h1>`, ...doc.lead.map((p) => `<p>${inline(p)}</p>`)];
  body.push(`<nav><ol>${doc.sections.map((s) => `<li><a href="#${anchor(s.title)}">${inline(s.title)}</a></li>`).join("")}</ol></nav>`);
  for (const s of doc.sections) {
    body.push(`<section id="${anchor(s.title)}">`, `<h2>${inline(s.title)}</h2>`);
    for (const b of s.blocks) {
      if (b.kind === "text") body.push(`<p>${inline(b.text)}</p>`);
      else if (b.kind === "list") body.push(`<ul>${b.items.map((item) => `<li>${inline(item)}</li>`).join("")}</ul>`);
      else if (b.kind === "table") {
        body.push(`<div class="table"><h3>${inline(b.table.title)}</h3>${b.table.html}<p class="note">${inline(b.table.note)}</p></div>`);
      } else {
        const f = b.figure;
        body.push(
          `<figure class="chart" id="fig-${f.name}">${f.svg}<figcaption>${inline(f.caption)} ` +
            `<a href="figures/${f.name}.csv">Data (CSV)</a>.</figcaption></figure>`,
        );
      }
    }
    body.push("</section>");
  }
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(doc.title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body><main>",
    ...body,
    "</main></body>",
    "</html>",
    "",
  ].join("\n");
}
