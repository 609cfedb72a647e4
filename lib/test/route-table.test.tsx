import { beforeAll, describe, expect, test } from "bun:test";
import { z } from "zod";
import { access } from "../src/access.ts";
import { createBaseApp } from "../src/app.ts";
import { createLogger } from "../src/log.ts";
import { serveOpenApi } from "../src/openapi.ts";
import { pageRenderer, usePage } from "../src/page.tsx";
import { apiRoute, pageRoute, RouteTable } from "../src/route-table.ts";
import {
  type Caller,
  matrixRoutes,
  openApiProblems,
  permissionMismatches,
  type TestIdentity,
  testIdentity,
  undocumentedOperations,
} from "../src/testing/index.ts";

const staff = access.callers("staff", ["admin", "technician", "billing"]);
const note = z.object({ id: z.number().int(), text: z.string() }).meta({ id: "Note" });

const getNote = apiRoute({
  method: "get",
  path: "/api/notes/{id}",
  access: staff,
  tags: ["Notes"],
  summary: "One note",
  request: {
    params: z.object({ id: z.coerce.number().int().min(1).max(999) }),
    query: z.object({ upper: z.enum(["1", "0"]).optional() }).strict(),
  },
  responses: { 200: { description: "The note", content: { "application/json": { schema: note } } } },
});

const createNote = apiRoute({
  method: "post",
  path: "/api/notes",
  access: access.callers("write", ["admin"]),
  tags: ["Notes"],
  summary: "Add a note",
  request: {
    body: {
      required: true,
      content: { "application/json": { schema: z.object({ text: z.string().min(1).max(50) }).strict() } },
    },
  },
  responses: { 201: { description: "Added", content: { "application/json": { schema: note } } } },
});

const pinNote = apiRoute({
  method: "post",
  path: "/api/notes/{id}/pin",
  access: access.callers("write", ["admin"]),
  tags: ["Notes"],
  summary: "Pin a note, on top unless told otherwise",
  request: {
    params: z.object({ id: z.coerce.number().int().min(1).max(999) }),
    body: { content: { "application/json": { schema: z.object({ top: z.boolean().default(true) }).strict() } } },
  },
  responses: {
    200: { description: "Pinned", content: { "application/json": { schema: z.object({ top: z.boolean() }) } } },
  },
});

const whoAmI = apiRoute({
  method: "get",
  path: "/api/me",
  access: access.people("self"),
  tags: ["Me"],
  summary: "The signed-in person",
  responses: {
    200: { description: "Who", content: { "application/json": { schema: z.object({ user: z.string() }) } } },
  },
});

const ping = apiRoute({
  method: "get",
  path: "/api/ping",
  access: access.public(),
  tags: ["Health"],
  summary: "Anyone may ask",
  responses: {
    200: { description: "Pong", content: { "application/json": { schema: z.object({ pong: z.boolean() }) } } },
  },
});

function Greeting() {
  const page = usePage();
  return <a href={page.url("/notes")}>Notes of {page.user.preferred_username}</a>;
}

async function SlowPart() {
  await Bun.sleep(1);
  return (
    <p>
      <Greeting />
    </p>
  );
}

function build(identity: TestIdentity) {
  const app = createBaseApp({ logger: createLogger({ service: "test", level: "error" }), service: "test" });
  app.use(
    pageRenderer(({ title, section, children }) => (
      <html lang="en">
        <head>
          <title>{title}</title>
        </head>
        <body data-section={section}>{children}</body>
      </html>
    )),
  );
  const table = new RouteTable(app, { authenticate: identity.auth.tokenRequired, csrf: identity.csrf });
  table.api(getNote, (c) => {
    const { id } = c.req.valid("param");
    const text = c.req.valid("query").upper === "1" ? "HELLO" : "hello";
    return c.json({ id, text }, 200);
  });
  table.api(createNote, (c) => c.json({ id: 7, text: c.req.valid("json").text }, 201));
  table.api(pinNote, (c) => c.json({ top: c.req.valid("json").top }, 200));
  table.api(whoAmI, (c) => c.json({ user: c.get("user")!.preferred_username }, 200));
  table.api(ping, (c) => c.json({ pong: true }, 200));
  table.page(pageRoute({ method: "get", path: "/notes", access: access.people("read") }), (c) =>
    c.render(<SlowPart />, { title: "Notes", section: "notes" }),
  );
  table.page(pageRoute({ method: "post", path: "/notes", access: access.people("write", ["admin"]) }), (c) =>
    c.redirect(`${c.get("page")!.prefix}/notes`, 303),
  );
  serveOpenApi(table, { title: "Test", version: "1", description: "A test app" });
  return { app, table };
}

describe("lib route table", () => {
  let identity: TestIdentity;
  let app: ReturnType<typeof build>["app"];
  let table: RouteTable;
  const send = async (caller: Caller | null, method: string, path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set("accept", headers.get("accept") ?? "application/json");
    if (caller) headers.set("authorization", `Bearer ${await identity.token(caller)}`);
    return app.fetch(new Request(`http://app.test${path}`, { ...init, method, headers }));
  };

  beforeAll(async () => {
    identity = await testIdentity("test");
    ({ app, table } = build(identity));
  });

  test("every route admits exactly the callers its rule names", async () => {
    const wrong = await permissionMismatches(matrixRoutes(table), (caller, method, path) => send(caller, method, path));
    expect(wrong).toEqual([]);
  });

  test("handlers read validated, typed input", async () => {
    const res = await send("technician", "GET", "/api/notes/42?upper=1");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 42, text: "HELLO" });
    const made = await send("admin", "POST", "/api/notes", {
      body: JSON.stringify({ text: "hi" }),
      headers: { "content-type": "application/json" },
    });
    expect(made.status).toBe(201);
    expect(await made.json()).toEqual({ id: 7, text: "hi" });
  });

  test("bad input gets the platform's error shape: 404 for an impossible id, 415, 400, 422 with the field", async () => {
    const post = (body: string, type = "application/json") =>
      send("admin", "POST", "/api/notes", { body, headers: { "content-type": type } });
    const cases: [Promise<Response>, number, string][] = [
      [send("admin", "GET", "/api/notes/abc"), 404, "not_found"],
      [send("admin", "GET", "/api/notes/5000"), 404, "not_found"],
      [send("admin", "GET", "/api/notes/5?upper=yes"), 422, "validation_failed"],
      [send("admin", "GET", "/api/notes/5?other=1"), 422, "validation_failed"],
      [post("text=hi", "application/x-www-form-urlencoded"), 415, "unsupported_media_type"],
      [post("{broken"), 400, "invalid_json"],
      [post(JSON.stringify({ text: "a\u0000b" })), 422, "validation_failed"],
      [post(JSON.stringify({ text: "" })), 422, "validation_failed"],
      [post(JSON.stringify({ text: "hi", extra: 1 })), 422, "validation_failed"],
    ];
    for (const [pending, status, code] of cases) {
      const res = await pending;
      const body = (await res.json()) as { error: { code: string; details: unknown } };
      expect([res.status, body.error.code]).toEqual([status, code]);
    }
    const nul = await post(JSON.stringify({ text: "a\u0000b" }));
    expect(((await nul.json()) as { error: { details: { field: string }[] } }).error.details[0]!.field).toBe("text");
  });

  test("an optional body may be sent empty: the schema sees {} and its defaults apply", async () => {
    const pin = (body?: string, type = "application/json") =>
      send("admin", "POST", "/api/notes/3/pin", { body, headers: { "content-type": type } });
    const answers = [await pin(), await pin(" "), await pin("{}"), await pin('{"top":false}')];
    expect(await Promise.all(answers.map((r) => r.json()))).toEqual([
      { top: true },
      { top: true },
      { top: true },
      { top: false },
    ]);
    expect((await pin("", "text/plain")).status).toBe(415);
    expect((await pin("{broken")).status).toBe(400);
  });

  test("pages render in the app's layout with the page's context, refuse services and need CSRF to post", async () => {
    const res = await send("technician", "GET", "/notes", {
      headers: { accept: "text/html", "x-forwarded-prefix": "/notes-app" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    expect(html).toContain('<title>Notes</title></head><body data-section="notes">');
    expect(html).toContain('<a href="/notes-app/notes">Notes of technician</a>');
    const form = (csrf?: string) =>
      send("admin", "POST", "/notes", {
        body: new URLSearchParams(csrf ? { _csrf: csrf } : {}).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
      });
    expect((await form()).status).toBe(403);
    expect((await form("wrong")).status).toBe(403);
    const ok = await form(await identity.csrfFor("admin"));
    expect([ok.status, ok.headers.get("location")]).toEqual([303, "/notes"]);
  });

  test("the API document is valid OpenAPI 3.1 with response schemas and who may call each operation", async () => {
    const res = await send("client", "GET", "/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, Record<string, Record<string, unknown>>> };
    expect(await openApiProblems(doc)).toEqual([]);
    expect(undocumentedOperations(doc)).toEqual([]);
    const op = doc.paths["/api/notes/{id}"]!.get!;
    expect(op["x-permission"]).toEqual({
      access: "staff",
      levels: ["admin", "technician", "billing"],
      services: true,
      public: false,
    });
    expect(Object.keys(op.responses as object).sort()).toEqual(["200", "401", "403", "404", "422", "503"]);
    expect(JSON.stringify(op.responses)).toContain('"#/components/schemas/Note"');
    expect(Object.keys(doc.paths)).not.toContain("/notes");
  });
});

describe("a route table without authentication (an app whose callers prove themselves per route)", () => {
  const bare = () => {
    const app = createBaseApp({ logger: createLogger({ service: "test", level: "error" }), service: "test" });
    return { app, table: new RouteTable(app, {}) };
  };

  test("takes public routes, and its API document may be public too", async () => {
    const { app, table } = bare();
    table.api(ping, (c) => c.json({ pong: true }, 200));
    const gone = z.object({ error: z.string() });
    const foreign = apiRoute({
      ...getNote,
      path: "/legacy/notes/{id}",
      access: access.public("legacy"),
      ownErrors: true,
      responses: {
        ...getNote.responses,
        404: { description: "No such note", content: { "application/json": { schema: gone } } },
      },
    });
    table.api(foreign, (c) => c.json({ id: c.req.valid("param").id, text: "old" }, 200));
    serveOpenApi(table, { title: "Test", version: "1", description: "A test app" }, access.public("loopback"));
    expect(await (await app.fetch(new Request("http://app.test/api/ping"))).json()).toEqual({ pong: true });
    const doc = (await (await app.fetch(new Request("http://app.test/api/openapi.json"))).json()) as {
      paths: Record<string, Record<string, { responses: object }>>;
    };
    expect(await openApiProblems(doc)).toEqual([]);
    // A route answering errors in its own shape lists only the answers it declares.
    expect(Object.keys(doc.paths["/legacy/notes/{id}"]!.get!.responses).sort()).toEqual(["200", "404"]);
    expect(Object.keys(doc.paths["/api/ping"]!.get!.responses).sort()).toEqual(["200", "503"]);
  });

  test("refuses, at start-up, a route that needs a token, and any page", () => {
    const { table } = bare();
    expect(() => table.api(whoAmI, (c) => c.json({ user: "x" }, 200))).toThrow("the app authenticates nobody");
    expect(() =>
      table.page(pageRoute({ method: "get", path: "/notes", access: access.people("read") }), (c) => c.text("x")),
    ).toThrow("no CSRF protection");
  });
});
