/**
 * Cells of tables written in text (Markdown pipes, tabs, or CSV with a header line), each with its
 * column's header: "| Provider | NPI |" makes every cell below "NPI" an NPI, the way a label would.
 */

export interface Cell {
  header: string;
  value: string;
  start: number;
  end: number;
}

const SEPARATORS = ["|", "\t", ","];

function splitCells(line: string, lineStart: number, sep: string): { text: string; start: number }[] {
  const cells: { text: string; start: number }[] = [];
  let at = 0;
  for (const part of line.split(sep)) {
    const lead = part.length - part.trimStart().length;
    cells.push({ text: part.trim(), start: lineStart + at + lead });
    at += part.length + 1;
  }
  if (sep === "|") {
    // "| a | b |": the empty cells outside the outer pipes are not columns.
    if (cells[0]?.text === "") cells.shift();
    if (cells.at(-1)?.text === "") cells.pop();
  }
  return cells;
}

const isHeaderCell = (c: string): boolean => /^[\p{L}][\p{L} _#./()'-]{0,30}$/u.test(c);

/** The last text's cells: the person detector and the label rules both ask for the same text in turn. */
let last: { text: string; cells: Cell[] } | null = null;

export function tableCells(text: string): Cell[] {
  if (last?.text !== text) last = { text, cells: readCells(text) };
  return last.cells;
}

function readCells(text: string): Cell[] {
  const lines: { text: string; start: number }[] = [];
  let pos = 0;
  for (const line of text.split("\n")) {
    lines.push({ text: line, start: pos });
    pos += line.length + 1;
  }
  const out: Cell[] = [];
  for (const sep of SEPARATORS) {
    let header: string[] | null = null;
    for (const line of lines) {
      const cells = line.text.includes(sep) ? splitCells(line.text, line.start, sep) : [];
      if (cells.length < 2) {
        header = null;
        continue;
      }
      if (cells.every((c) => /^:?-{3,}:?$/.test(c.text))) continue;
      if (!header || header.length !== cells.length) {
        header = cells.every((c) => isHeaderCell(c.text)) ? cells.map((c) => c.text.toLowerCase()) : null;
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
