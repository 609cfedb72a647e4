import type { z } from "zod";
import type { Call, Method, OperationRef, ToolDef } from "./types.ts";

/** "codex GET /api/tickets/{id}" → the operation it names. */
export function op(spec: string): OperationRef {
  const [app, method, path] = spec.split(" ");
  return { app: app!, method: method as Method, path: path! };
}

/** A call of `ref` with these parameters, query and body; unset query values are left out. */
export function call(
  ref: OperationRef,
  parts: {
    params?: Call["params"];
    query?: Record<string, string | number | boolean | undefined>;
    body?: unknown;
  } = {},
): Call {
  const query: Call["query"] = {};
  for (const [name, value] of Object.entries(parts.query ?? {})) if (value !== undefined) query[name] = value;
  return { ...ref, params: parts.params ?? {}, query, ...(parts.body === undefined ? {} : { body: parts.body }) };
}

/** Declares a tool keeping its input's type for `plan`. */
export const tool = <S extends z.ZodType>(def: ToolDef<S>): ToolDef<S> => def;

/** A tool of one operation: the input becomes its parameters, query and body through `map`. */
export function oneCall<S extends z.ZodType>(
  def: Omit<ToolDef<S>, "operations" | "plan" | "local"> & {
    operation: string;
    map(input: z.infer<S>): Parameters<typeof call>[1];
  },
): ToolDef<S> {
  const ref = op(def.operation);
  const { operation: _, map, ...rest } = def;
  return { ...rest, operations: { main: ref }, plan: (input) => call(ref, map(input)) };
}
