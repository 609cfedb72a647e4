/**
 * Cells of tables written in text (Markdown pipes, tabs, or CSV with a header line), each with its
 * column's header: "| Provider | NPI |" makes every cell below "NPI" an NPI, the way a label would.
 * CSV cells may be quoted ("Mwangi, Wanjiru"); a quoted cell's value is its text inside the quotes.
 */

export interface Cell {
  /** The header lower-cased, with `_`, `-`, `.` and camelCase humps turned into single spaces. */
  header: string;
  value: string;
  start: number;
  end: number;
}

const SEPARATORS = ["|", "\t", ","];

interface Part {
  text: string;
  start: number;
}

function splitCells(line: string, lineStart: number, sep: string): Part[] {
  const cells: Part[] = [];
  let at = 0;
  while (at <= line.length) {
    // A CSV cell that opens with a quote runs to its closing quote ("" inside is a quote).
    const lead = /^[ ]*/.exec(line.slice(at))![0].length;
    if (sep === "," && line[at + lead] === '"') {
      let close = at + lead + 1;
      while (close < line.length && !(line[close] === '"' && line[close + 1] !== '"'))
        close += line[close] === '"' ? 2 : 1;
      const next = line.indexOf(sep, close);
      cells.push({ text: line.slice(at + lead + 1, close), start: lineStart + at + lead + 1 });
      if (next < 0) break;
      at = next + 1;
      continue;
    }
    const next = line.indexOf(sep, at);
    const part = line.slice(at, next < 0 ? line.length : next);
    const trimmedLead = part.length - part.trimStart().length;
    cells.push({ text: part.trim(), start: lineStart + at + trimmedLead });
    if (next < 0) break;
    at = next + 1;
  }
  if (sep === "|") {
    // "| a | b |": the empty cells outside the outer pipes are not columns.
    if (cells[0]?.text === "") cells.shift();
    if (cells.at(-1)?.text === "") cells.pop();
  }
  return cells;
}

const isHeaderCell = (c: string): boolean => /^[\p{L}][\p{L}\p{N} _#./()'-]{0,30}$/u.test(c);

/** "dl_number", "bookingNo", "Admit-Date" → "dl number", "booking no", "admit date". */
export function normalizeHeader(h: string): string {
  return h
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .replace(/[_\-.]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** The last text's cells: the person detector and the label rules both ask for the same text in turn. */
let last: { text: string; cells: Cell[] } | null = null;

export function tableCells(text: string): Cell[] {
  if (last?.text !== text) last = { text, cells: readCells(text) };
  return last.cells;
}

function readCells(text: string): Cell[] {
  const out: Cell[] = [];
  const seps = SEPARATORS.filter((s) => text.includes(s));
  if (seps.length === 0 || !text.includes("\n")) return out;
  const lines: Part[] = [];
  let pos = 0;
  for (const line of text.split("\n")) {
    lines.push({ text: line, start: pos });
    pos += line.length + 1;
  }
  for (const sep of seps) {
    let header: string[] | null = null;
    for (const line of lines) {
      const cells = line.text.includes(sep) ? splitCells(line.text, line.start, sep) : [];
      if (cells.length < 2) {
        header = null;
        continue;
      }
      if (cells.every((c) => /^:?-{3,}:?$/.test(c.text))) continue;
      if (!header || header.length !== cells.length) {
        // "Columns: last, first, dob": the header line may open with a caption.
        const first = cells[0]!.text.replace(/^[^:\n]{0,60}:\s+/, "");
        const texts = [first, ...cells.slice(1).map((c) => c.text)];
        header = texts.every(isHeaderCell) ? texts.map(normalizeHeader) : null;
        continue;
      }
      for (const [i, c] of cells.entries()) {
        if (c.text !== "")
          out.push({ header: header[i]!, value: c.text, start: c.start, end: c.start + c.text.length });
      }
    }
  }
  return out;
}
