/** Terminal output for Helm's command-line tools: colours only on a TTY and without NO_COLOR. */
export const useColor = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;

const CODES = {
  red: 31,
  green: 32,
  yellow: 33,
  blue: 34,
  magenta: 35,
  cyan: 36,
  gray: 90,
  bold: 1,
  inverse: 7,
  redBg: 41,
} as const;
export type Colour = keyof typeof CODES;

export function paint(colour: Colour, text: string): string {
  return useColor ? `\x1b[${CODES[colour]}m${text}\x1b[0m` : text;
}

/**
 * Log text is written by apps and (through them) by users: control characters are shown
 * escaped so a line cannot move the cursor, recolour or retitle the terminal.
 */
export function printable(text: string): string {
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** Visible width, ignoring colour codes. */
function width(text: string): number {
  return text.replace(/\x1b\[[0-9;]*m/g, "").length;
}

/** Left-aligned columns, two spaces apart. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, width(cell));
    });
  }
  return rows
    .map((row) =>
      row.map((cell, i) => (i === row.length - 1 ? cell : cell + " ".repeat(widths[i]! - width(cell)))).join("  "),
    )
    .join("\n");
}
