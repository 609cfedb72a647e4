import { describe, expect, test } from "bun:test";
import { z } from "zod";
import { createBaseApp } from "../src/app.ts";
import { createLogger } from "../src/log.ts";
import { formBody, jsonBody } from "../src/validate.ts";

/** What every app gets from lib for input no field takes: a 4xx naming the problem, never a 500. */
function app() {
  const a = createBaseApp({ logger: createLogger({ service: "t", level: "error" }), service: "t" });
  a.post("/json", async (c) =>
    c.json(await jsonBody(c, z.object({ name: z.string(), tags: z.array(z.string()).optional() }))),
  );
  a.post("/form", async (c) => {
    const r = await formBody(c, z.object({ name: z.string() }));
    return r.ok ? c.json(r.data) : c.json({ errors: r.errors }, 422);
  });
  a.get("/item/:id", (c) => c.json({ id: c.req.param("id") }));
  // What a driver throws when a value does not fit its column (PostgreSQL's class 22).
  a.get("/overflow", () => {
    throw new Error("Failed query: insert …", {
      cause: Object.assign(new Error('value "99999999999" is out of range for type integer'), { code: "22003" }),
    });
  });
  a.get("/bug", () => {
    throw new Error("a real bug");
  });
  return a;
}

const post = (path: string, body: string, type: string) =>
  app().fetch(
    new Request(`http://t${path}`, {
      method: "POST",
      headers: { "content-type": type, accept: "application/json" },
      body,
    }),
  );
const get = (path: string) => app().fetch(new Request(`http://t${path}`, { headers: { accept: "application/json" } }));
const errorOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; message: string; details: unknown } }).error;

describe("input no field takes", () => {
  test("a NUL character anywhere in the address is a 400", async () => {
    for (const path of ["/item/%00", "/item/a%00b", "/item/1?q=%00", "/json%00"]) {
      const res = await get(path);
      expect([path, res.status]).toEqual([path, 400]);
      expect((await errorOf(res)).message).toContain("NUL");
    }
    expect((await get("/item/%2500")).status).toBe(200);
  });

  test("a malformed percent-escape in the path is a 400; a valid one is decoded once, by the router", async () => {
    for (const path of ["/item/%E0%A4%A", "/item/%", "/item/%ZZ", "/item/a%2", "/item/%C0%80", "/json%E0"]) {
      const res = await get(path);
      expect([path, res.status]).toEqual([path, 400]);
      expect((await errorOf(res)).message).toContain("percent-escape");
    }
    for (const [path, id] of [
      ["/item/%25", "%"],
      ["/item/%2541", "%41"],
      ["/item/a%2Fb", "a/b"],
      ["/item/%E2%82%AC", "\u20ac"],
    ] as const) {
      const res = await get(path);
      expect([path, res.status, await res.json()]).toEqual([path, 200, { id }]);
    }
  });

  test("a NUL character in any JSON text is a 422 naming the field; a spelled-out backslash is fine", async () => {
    const res = await post("/json", JSON.stringify({ name: "ok", tags: ["fine", "bad\u0000"] }), "application/json");
    expect(res.status).toBe(422);
    expect((await errorOf(res)).details).toEqual([
      { field: "tags.1", message: "Text may not contain NUL characters." },
    ]);
    const key = await post("/json", JSON.stringify({ name: "ok", "k\u0000": 1 }), "application/json");
    expect(key.status).toBe(422);
    const literal = await post("/json", JSON.stringify({ name: "\\u0000 is how JSON writes NUL" }), "application/json");
    expect(literal.status).toBe(200);
    expect(await literal.json()).toEqual({ name: "\\u0000 is how JSON writes NUL" });
  });

  test("a NUL character in a form field is shown at that field", async () => {
    const res = await post("/form", "name=a%00b", "application/x-www-form-urlencoded");
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ errors: { name: "Text may not contain NUL characters." } });
  });

  test("a value the database cannot hold is a 400, while a real bug stays a 500", async () => {
    const overflow = await get("/overflow");
    expect(overflow.status).toBe(400);
    expect((await errorOf(overflow)).code).toBe("invalid_value");
    expect((await get("/bug")).status).toBe(500);
  });
});
