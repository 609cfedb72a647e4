/**
 * A text cell made safe for spreadsheets: a leading =, +, -, @, tab or CR would make Excel or
 * Sheets run it as a formula (CSV injection), so such text gets a leading apostrophe.
 */
export function safeCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s =
    typeof v === "string"
      ? v
      : v instanceof Date
        ? v.toISOString()
        : typeof v === "object"
          ? JSON.stringify(v)
          : String(v);
  return typeof v === "string" && /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}
