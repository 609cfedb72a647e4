import { createHash } from "node:crypto";
import type { Call } from "./types.ts";

/** JSON with object keys sorted, so that equal values always hash the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(",")}}`;
  return JSON.stringify(value ?? null);
}

/** SHA-256 of exactly the request that will run: an approval binds to this. */
export function callHash(call: Call): string {
  const { app, method, path, params, query, body } = call;
  return createHash("sha256").update(canonical({ app, method, path, params, query, body })).digest("hex");
}
