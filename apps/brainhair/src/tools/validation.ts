import type Ajv2020 from "ajv/dist/2020";
import type { ValidateFunction } from "ajv/dist/2020";
import { onFirstUse } from "@hivematrix/lib/on-first-use";
import type { Operation, Param } from "./openapi-parse.ts";

/**
 * JSON Schema validation of api_operation's input against the operation's own schemas (ajv, the
 * 2020-12 dialect OpenAPI 3.1 uses). Parameters arrive as text in a URL, so they are coerced as
 * the app would; bodies are not.
 */
const validators = onFirstUse(() => {
  // Loaded with the first api_operation call, not at start-up (lib/on-first-use).
  const Ajv = require("ajv/dist/2020").default as typeof Ajv2020;
  const addFormats = require("ajv-formats").default as typeof import("ajv-formats").default;
  return {
    strictBodies: addFormats(new Ajv({ strict: false, allErrors: true, logger: false })),
    coercing: addFormats(new Ajv({ strict: false, allErrors: true, logger: false, coerceTypes: true })),
  };
});

const compiled = new Map<string, ValidateFunction>();

function compile(
  kind: "coercing" | "strictBodies",
  schema: Record<string, unknown>,
  components: Record<string, unknown>,
): ValidateFunction {
  const key = `${kind}:${JSON.stringify(schema)}`;
  let fn = compiled.get(key);
  if (!fn) {
    // The document's components ride along so that "#/components/schemas/X" resolves.
    const { $schema: _, ...rest } = schema;
    fn = validators()[kind].compile({ ...rest, components });
    compiled.set(key, fn);
  }
  return fn;
}

function paramsSchema(params: Param[]): Record<string, unknown> {
  return {
    type: "object",
    properties: Object.fromEntries(params.map((param) => [param.name, param.schema])),
    required: params.filter((param) => param.required).map((param) => param.name),
    additionalProperties: false,
  };
}

function describe(where: string, fn: ValidateFunction): string[] {
  return (fn.errors ?? []).map((error) =>
    `${where}${error.instancePath || ""} ${error.message ?? "is invalid"}`.trim(),
  );
}

/** Checks (and coerces) an operation's input; the problems name each field. */
export function validateInput(
  op: Operation,
  input: { params: Record<string, unknown>; query: Record<string, unknown>; body: unknown },
): string[] {
  const problems: string[] = [];
  const params = compile("coercing", paramsSchema(op.pathParams), op.components);
  if (!params(input.params)) problems.push(...describe("params", params));
  const query = compile("coercing", paramsSchema(op.queryParams), op.components);
  if (!query(input.query)) problems.push(...describe("query", query));
  if (op.body) {
    if (input.body === undefined) {
      if (op.body.required) problems.push("body is required");
    } else {
      const body = compile("strictBodies", op.body.schema, op.components);
      if (!body(input.body)) problems.push(...describe("body", body));
    }
  } else if (input.body !== undefined) problems.push("body: this operation takes none");
  return problems;
}

/** Whether the operation's schemas can be compiled at all (the coverage test asks this of each). */
export function schemasCompile(op: Operation): string | null {
  try {
    compile("coercing", paramsSchema(op.pathParams), op.components);
    compile("coercing", paramsSchema(op.queryParams), op.components);
    if (op.body) compile("strictBodies", op.body.schema, op.components);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
