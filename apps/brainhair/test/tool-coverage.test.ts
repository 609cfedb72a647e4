import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { z } from "zod";
import { reachability, Catalogue } from "../src/tools/catalogue.ts";
import { EXCLUDED } from "../src/tools/exclusions.ts";
import { type Operation, parseDocument } from "../src/tools/openapi-parse.ts";
import { TOOLS } from "../src/tools/registry.ts";
import { opKey, type ToolContext, type ToolDef } from "../src/tools/types.ts";
import { validateInput } from "../src/tools/validation.ts";
import { type BrainhairUnderTest, startBrainhair } from "./harness.ts";
import { stretch, TOOL_SAMPLES } from "./tool-samples.ts";

setDefaultTimeout(90_000);

const CURATED = new Set(TOOLS.flatMap((tool) => Object.values(tool.operations).map(opKey)));

/** Operations neither a curated tool nor api_operation reaches, and not excluded with a reason. */
function unreachable(ops: Operation[]): string[] {
  return ops
    .filter((op) => !CURATED.has(opKey(op)) && !reachability(op).ok && !(opKey(op) in EXCLUDED))
    .map((op) => `${opKey(op)}: ${(reachability(op) as { reason: string }).reason}`);
}

/** What the app's live schemas find wrong with the request a tool plans for this input (noting the operation). */
async function requestProblems(
  tool: ToolDef,
  input: unknown,
  live: Map<string, Operation>,
  called: Set<string>,
): Promise<string[]> {
  const parsed = tool.input.safeParse(input);
  if (!parsed.success) return [`${tool.name} ${JSON.stringify(input).slice(0, 80)}: ${parsed.error.message}`];
  const request = await tool.plan!(parsed.data, {} as ToolContext);
  called.add(opKey(request));
  const operation = live.get(opKey(request));
  const found = operation ? validateInput(operation, { ...request, body: request.body }) : ["not in the live document"];
  return found.map((problem) => `${tool.name} → ${opKey(request)}: ${problem}`);
}

describe("every operation of every app is reachable by a tool, or excluded with a reason", () => {
  let bh: BrainhairUnderTest;
  let ops: Operation[];
  let documented: Set<string>;

  beforeAll(async () => {
    bh = await startBrainhair("sqlite", { helm: true, nexus: true });
    const token = await bh.token({ level: "admin", user: "ada" });
    // The live documents, read as api_operation reads them: a route an app adds shows up here.
    ops = await new Catalogue(bh.deps.config.services, token, "coverage", 10_000).all();
    documented = new Set(ops.map((operation) => operation.app));
  });
  afterAll(() => bh.stop());

  test("the apps' documents are read live", () => {
    for (const app of ["core", "nexus", "helm", "codex", "brainhair"]) expect(documented).toContain(app);
    expect(ops.length).toBeGreaterThan(100);
  });

  test("no operation is left out", () => {
    expect(unreachable(ops)).toEqual([]);
  });

  test("every curated tool's operation exists in its app's document (apps that serve one)", () => {
    const live = new Set(ops.map(opKey));
    const missing = [...CURATED].filter((key) => documented.has(key.split(" ")[0]!) && !live.has(key));
    expect(missing).toEqual([]);
  });

  test("every curated tool's request, also at its input's limits, fits its operation's live schemas", async () => {
    const live = new Map(ops.map((operation) => [opKey(operation), operation]));
    const curated = TOOLS.filter((tool) => Object.keys(tool.operations).length > 0);
    expect(curated.filter((tool) => !TOOL_SAMPLES[tool.name]).map((tool) => tool.name)).toEqual([]);
    const problems: string[] = [];
    const called = new Set<string>();
    for (const tool of curated) {
      const schema = z.toJSONSchema(tool.input, { io: "input", unrepresentable: "any" });
      const inputs = TOOL_SAMPLES[tool.name]!.flatMap((sample) => [
        sample,
        stretch(schema, sample, "max"),
        stretch(schema, sample, "min"),
      ]);
      for (const input of inputs) problems.push(...(await requestProblems(tool, input, live, called)));
    }
    expect(problems).toEqual([]);
    expect([...CURATED].filter((key) => !called.has(key))).toEqual([]);
  });

  test("every exclusion names an operation that exists, and api_operation refuses it", () => {
    const live = new Map(ops.map((operation) => [opKey(operation), operation]));
    const stale = Object.keys(EXCLUDED).filter((key) => documented.has(key.split(" ")[0]!) && !live.has(key));
    expect(stale).toEqual([]);
    for (const key of Object.keys(EXCLUDED)) {
      const op = live.get(key);
      if (op) expect(reachability(op)).toEqual({ ok: false, reason: "excluded" });
    }
  });

  test("a new route nothing can reach fails the check until it is callable or excluded", () => {
    const doc = {
      paths: {
        "/api/widgets": {
          get: { summary: "Widgets", "x-permission": { levels: ["admin"], services: true, public: false } },
        },
        "/api/widgets/ingest": {
          post: {
            summary: "Ingest",
            "x-permission": { levels: [], services: true, public: false },
            requestBody: { content: { "application/json": { schema: { type: "object" } } } },
          },
        },
        "/api/widgets/upload": {
          post: {
            summary: "Upload",
            "x-permission": { levels: ["admin"], services: true, public: false },
            requestBody: { content: { "text/csv": { schema: { type: "string" } } } },
          },
        },
      },
    };
    expect(unreachable(parseDocument("widgets", doc))).toEqual([
      "widgets POST /api/widgets/ingest: service tokens only: no person may call it",
      "widgets POST /api/widgets/upload: its body is text/csv, not JSON",
    ]);
  });
});
