import { z } from "zod";
import { reachability } from "./catalogue.ts";
import { tool } from "./define.ts";
import { EXCLUDED } from "./exclusions.ts";
import type { Operation } from "./openapi-parse.ts";
import { opKey, type Call } from "./types.ts";
import { validateInput } from "./validation.ts";

/** A tool input the model got wrong: told to the model, nothing is called. */
export class ToolInputError extends Error {
  override name = "ToolInputError";
}

const app = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,30}$/)
  .describe("The app: core, codex, helm, brainhair…");
const operation = z
  .string()
  .min(1)
  .max(300)
  .describe('The operation: "METHOD /path/{template}" exactly as find_operations lists it, or its operationId');

const brief = (op: Operation) => ({
  app: op.app,
  operation: `${op.method} ${op.path}`,
  ...(op.operationId ? { operationId: op.operationId } : {}),
  summary: op.summary,
  who: op.public ? "anyone" : op.levels.join(", "),
});

/** The operations api_operation can reach, found by words. */
export const findOperations = tool({
  name: "find_operations",
  description:
    "Find operations of the apps' APIs that no other tool covers, by app and words; call describe_operation for " +
    "one's parameters, then api_operation to run it.",
  input: z.object({ app: app.optional(), q: z.string().max(200).optional() }).strict(),
  operations: {},
  local: async (input, ctx) => {
    const words = (input.q ?? "").toLowerCase().split(/\W+/).filter(Boolean);
    const found = (await ctx.catalogue.reachable()).filter((op) => {
      if (input.app && op.app !== input.app) return false;
      const text = `${op.method} ${op.path} ${op.summary} ${op.operationId ?? ""}`.toLowerCase();
      return words.every((word) => text.includes(word));
    });
    return { status: 200, body: { operations: found.slice(0, 40).map(brief), total: found.length }, local: true };
  },
});

/** One operation's parameters and body schema. */
export const describeOperation = tool({
  name: "describe_operation",
  description: "An operation's path parameters, query parameters and body schema, to call it with api_operation.",
  input: z.object({ app, operation }).strict(),
  operations: {},
  local: async (input, ctx) => {
    const op = await resolve(ctx.catalogue, input.app, input.operation);
    const params = (list: Operation["pathParams"]) =>
      list.map((param) => ({ name: param.name, required: param.required, schema: param.schema }));
    return {
      status: 200,
      body: {
        ...brief(op),
        description: op.description,
        path_params: params(op.pathParams),
        query_params: params(op.queryParams),
        body: op.body ? { required: op.body.required, schema: op.body.schema } : null,
      },
      local: true,
    };
  },
});

async function resolve(
  catalogue: { find(app: string, name: string): Promise<Operation | undefined> },
  app: string,
  name: string,
) {
  const op = await catalogue.find(app, name);
  if (!op) throw new ToolInputError(`${app} has no operation ${name}; find_operations lists them.`);
  const why = EXCLUDED[opKey(op)];
  if (why) throw new ToolInputError(`${opKey(op)} is not for the assistant: ${why}`);
  const reach = reachability(op);
  if (!reach.ok) throw new ToolInputError(`${opKey(op)} cannot be called here: ${reach.reason}.`);
  return op;
}

/** Any other operation of any app's document, named (never a free URL) and checked against its schemas. */
export const apiOperation = tool({
  name: "api_operation",
  description:
    "Call an operation of an app's API that no other tool covers, named as find_operations lists it. Input is " +
    "checked against the operation's schemas; anything but a GET waits for the person's approval.",
  input: z
    .object({
      app,
      operation,
      params: z
        .record(z.string(), z.union([z.string(), z.number()]))
        .optional()
        .describe("Path parameters"),
      query: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
      body: z.unknown().optional().describe("The JSON body, for operations that take one"),
    })
    .strict(),
  operations: {},
  plan: async (given, ctx): Promise<Call> => {
    const op = await resolve(ctx.catalogue, given.app, given.operation);
    const input = { params: { ...given.params }, query: { ...given.query }, body: given.body };
    const problems = validateInput(op, input);
    if (problems.length > 0) throw new ToolInputError(`The input does not fit ${opKey(op)}: ${problems.join("; ")}`);
    return {
      app: op.app,
      method: op.method,
      path: op.path,
      params: input.params as Call["params"],
      query: input.query as Call["query"],
      ...(given.body === undefined ? {} : { body: given.body }),
    };
  },
});
