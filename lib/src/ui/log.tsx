import type { Child } from "hono/jsx";

export type LogLineLevel = "debug" | "info" | "warning" | "error" | "critical";

/** lib/log writes upper-case names (WARNING) and config uses "warn"; both map to one class. */
function levelOf(level: string): LogLineLevel {
  const l = level.toLowerCase();
  if (l === "warn") return "warning";
  if (l === "fatal") return "critical";
  return l === "debug" || l === "info" || l === "warning" || l === "error" || l === "critical" ? l : "info";
}

/** A list of log lines, newest wherever the caller puts it. */
export function LogList({ label, children }: { label: string; children?: Child }) {
  return (
    <ol class="log" aria-label={label}>
      {children}
    </ol>
  );
}

interface LogLineProps {
  /** ISO 8601 timestamp; shown as written, machine-readable in <time datetime>. */
  time: string;
  service: string;
  level: string;
  message: string;
  /** Extra structured fields, shown collapsed under the line. */
  context?: Child;
}

export function LogLine({ time, service, level, message, context }: LogLineProps) {
  const lvl: LogLineLevel = levelOf(level);
  return (
    <li class={`log-line log-line--${lvl}`}>
      <time class="log-line__time" datetime={time}>
        {time}
      </time>
      <span class="log-line__service">{service}</span>
      <span class="log-line__level">{lvl}</span>
      <span class="log-line__message">{message}</span>
      {context !== undefined && context !== null && (
        <details class="log-line__context">
          <summary>Context</summary>
          <pre>{context}</pre>
        </details>
      )}
    </li>
  );
}
