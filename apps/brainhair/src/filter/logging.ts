import type { Logger } from "@hivematrix/lib/log";
import { filterData, type Json } from "./data.ts";
import { filterText } from "./text.ts";

/** Fields that hold Brainhair's own identifiers, never client data: logged as they are. */
const SAFE_KEYS = new Set(["chat", "turn", "tool", "tool_call", "status", "decision", "request_id", "attempt", "app"]);

function clean(fields: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!fields) return fields;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (SAFE_KEYS.has(key) || typeof value === "number" || typeof value === "boolean") out[key] = value;
    else if (value instanceof Error) out[key] = { name: value.name, message: filterText(value.message, "hipaa").text };
    else out[key] = filterData(JSON.parse(JSON.stringify(value ?? null)) as Json, "hipaa");
  }
  return out;
}

/**
 * A logger for what may carry client data (tool inputs, an app's error answers, model errors
 * quoting a request): the message and every field pass the filter at hipaa, the strictest level
 * for data whose company is unknown. Logs go to Helm, where many people may read them.
 */
export function filteredLogger(logger: Logger): Logger {
  const wrap = (target: Logger): Logger => ({
    debug: (m, f) => target.debug(filterText(m, "hipaa").text, clean(f)),
    info: (m, f) => target.info(filterText(m, "hipaa").text, clean(f)),
    warn: (m, f) => target.warn(filterText(m, "hipaa").text, clean(f)),
    error: (m, f) => target.error(filterText(m, "hipaa").text, clean(f)),
    child: (fields) => wrap(target.child(clean(fields) ?? {})),
  });
  return wrap(logger);
}
