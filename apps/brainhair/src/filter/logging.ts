import type { Logger } from "@hivematrix/lib/log";
import type { Json } from "./data.ts";
import { filterModule } from "./lazy.ts";

/** Fields that hold Brainhair's own identifiers, never client data: logged as they are. */
const SAFE_KEYS = new Set(["chat", "turn", "tool", "tool_call", "status", "decision", "request_id", "attempt", "app"]);

type Filter = Awaited<ReturnType<typeof filterModule>>;

function clean(f: Filter, fields: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!fields) return fields;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (SAFE_KEYS.has(key) || typeof value === "number" || typeof value === "boolean") out[key] = value;
    else if (value instanceof Error)
      out[key] = { name: value.name, message: f.filterText(value.message, "hipaa").text };
    else out[key] = f.filterData(JSON.parse(JSON.stringify(value ?? null)) as Json, "hipaa");
  }
  return out;
}

/**
 * A logger for what may carry client data (tool inputs, an app's error answers, model errors
 * quoting a request): the message and every field pass the filter at hipaa, the strictest level
 * for data whose company is unknown. Logs go to Helm, where many people may read them. A line
 * is written once the filter is loaded (at once after its first use).
 */
export function filteredLogger(logger: Logger, extra: Record<string, unknown> = {}): Logger {
  const at = (level: "debug" | "info" | "warn" | "error") => (m: string, f?: Record<string, unknown>) =>
    void filterModule().then((filter) =>
      logger[level](filter.filterText(m, "hipaa").text, clean(filter, { ...extra, ...f })),
    );
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: (fields) => filteredLogger(logger, { ...extra, ...fields }),
  };
}
