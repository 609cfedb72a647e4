const COLORS = ["\x1b[36m", "\x1b[35m", "\x1b[34m", "\x1b[32m", "\x1b[33m", "\x1b[96m", "\x1b[95m", "\x1b[94m"];
const LEVEL_COLORS: Record<string, string> = {
  DEBUG: "\x1b[90m",
  INFO: "\x1b[32m",
  WARNING: "\x1b[33m",
  ERROR: "\x1b[31m",
  CRITICAL: "\x1b[41m",
};
const RESET = "\x1b[0m";

export function colorFor(index: number): string {
  return COLORS[index % COLORS.length]!;
}

/**
 * One line of a child's output for the terminal: JSON log records become
 * `time LEVEL message key=value…`; anything else is shown as printed.
 */
export function formatLine(name: string, color: string, width: number, line: string, useColor: boolean): string {
  const tag = useColor ? `${color}${name.padEnd(width)}${RESET} │ ` : `${name.padEnd(width)} │ `;
  if (!line.startsWith("{")) return tag + line;
  try {
    const { timestamp, level, message, service: _s, ...rest } = JSON.parse(line) as Record<string, unknown>;
    const time = typeof timestamp === "string" ? timestamp.slice(11, 19) : "";
    const lvl = String(level ?? "INFO");
    const extras = Object.entries(rest)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
      .join(" ");
    const shownLevel = useColor ? `${LEVEL_COLORS[lvl] ?? ""}${lvl.padEnd(7)}${RESET}` : lvl.padEnd(7);
    return `${tag}${time} ${shownLevel} ${message}${extras ? ` ${useColor ? "\x1b[90m" : ""}${extras}${useColor ? RESET : ""}` : ""}`;
  } catch {
    return tag + line;
  }
}
