import { Validator } from "@seriousme/openapi-schema-validator";

/** The problems an OpenAPI validator finds in `doc` (none when it is a valid 3.x document). */
export async function openApiProblems(doc: unknown): Promise<string[]> {
  const result = await new Validator().validate(doc as never);
  if (result.valid) return [];
  const errors = Array.isArray(result.errors) ? result.errors : [result.errors];
  return errors.map((e) => JSON.stringify(e).slice(0, 300));
}

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }>; headers?: Record<string, unknown> }>;
  requestBody?: unknown;
  "x-permission"?: unknown;
}

/**
 * Operations with no success answer (2xx, or a redirect for a browser route such as a sign-in),
 * whose 2xx answers with a body declare no schema, or that say nothing of who may call them.
 * A 204, or a 201 that only points at what it created (Location), has no body.
 */
export function undocumentedOperations(doc: unknown): string[] {
  const out: string[] = [];
  const paths = (doc as { paths?: Record<string, Record<string, Operation>> }).paths ?? {};
  for (const [path, ops] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const where = `${method.toUpperCase()} ${path}`;
      if (!op["x-permission"]) out.push(`${where}: no x-permission`);
      const answers = Object.entries(op.responses ?? {});
      const ok = answers.filter(([status]) => /^2\d\d$/.test(status));
      if (ok.length === 0 && !answers.some(([status]) => /^3\d\d$/.test(status)))
        out.push(`${where}: no success response`);
      for (const [status, r] of ok) {
        if (status === "204" || (status === "201" && !r.content && r.headers?.location)) continue;
        const schemas = Object.values(r.content ?? {}).map((m) => m.schema);
        if (schemas.length === 0 || schemas.some((s) => s === undefined)) out.push(`${where}: ${status} has no schema`);
      }
    }
  }
  return out;
}
