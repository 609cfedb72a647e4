import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { reachability, Catalogue } from "../src/tools/catalogue.ts";
import { EXCLUDED } from "../src/tools/exclusions.ts";
import { type Operation, parseDocument } from "../src/tools/openapi-parse.ts";
import { TOOLS } from "../src/tools/registry.ts";
import { opKey } from "../src/tools/types.ts";
import { type BrainhairUnderTest, startBrainhair } from "./harness.ts";

setDefaultTimeout(90_000);

const CURATED = new Set(TOOLS.flatMap((t) => Object.values(t.operations).map(opKey)));

/** Operations neither a curated tool nor api_operation reaches, and not excluded with a reason. */
function unreachable(ops: Operation[]): string[] {
  return ops
    .filter((op) => !CURATED.has(opKey(op)) && !reachability(op).ok && !(opKey(op) in EXCLUDED))
    .map((op) => `${opKey(op)}: ${(reachability(op) as { reason: string }).reason}`);
}

describe("every operation of every app is reachable by a tool, or excluded with a reason", () => {
  let bh: BrainhairUnderTest;
  let ops: Operation[];
  let documented: Set<string>;

  beforeAll(async () => {
    bh = await startBrainhair("sqlite", { helm: true });
    const token = await bh.token({ level: "admin", user: "ada" });
    // The live documents, read as api_operation reads them: a route an app adds shows up here.
    ops = await new Catalogue(bh.deps.config.services, token, "coverage", 10_000).all();
    documented = new Set(ops.map((o) => o.app));
  });
  afterAll(() => bh.stop());

  test("the apps' documents are read live", () => {
    for (const app of ["core", "codex", "brainhair"]) expect(documented).toContain(app);
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

  test("every exclusion names an operation that exists, and api_operation refuses it", () => {
    const live = new Map(ops.map((o) => [opKey(o), o]));
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
