import { describe, expect, test } from "bun:test";
import { z } from "zod";
import { createBaseApp } from "../src/app.ts";
import { createLogger } from "../src/log.ts";
import { fieldErrors, formBody, formFields, issuesOf, jsonBody, parseWith, queryParams } from "../src/validate.ts";

const NUL_MESSAGE = "Text may not contain NUL characters.";
const person = z.object({ name: z.string().min(2, "too short"), age: z.coerce.number().int().optional() });

function app() {
  const a = createBaseApp({ logger: createLogger({ service: "t", level: "error" }), service: "t" });
  a.post("/fields", async (c) => c.json(await formFields(c)));
  a.post("/form", async (c) => c.json(await formBody(c, person)));
  a.post("/json", async (c) => c.json(await jsonBody(c, z.record(z.string(), z.unknown()))));
  a.get("/query", (c) => c.json(queryParams(c, person)));
  return a;
}

const post = (path: string, type: string, body: string) =>
  app().fetch(
    new Request(`http://t${path}`, {
      method: "POST",
      headers: { "content-type": type, accept: "application/json" },
      body,
    }),
  );
const postForm = (path: string, body: string) => post(path, "application/x-www-form-urlencoded", body);
type ErrorJson = { error: { code: string; message: string; details: unknown } };

describe("formFields", () => {
  test("hands back the text fields, without the CSRF token", async () => {
    const res = await postForm("/fields", "name=Ada&_csrf=abc&note=");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ name: "Ada", note: "" });
  });

  test("a NUL character in a value is a 422 naming that field", async () => {
    const res = await postForm("/fields", "name=Ada&note=a%00b");
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      error: {
        code: "validation_failed",
        message: 'The field "note" contains a NUL character, which no field takes.',
        details: [{ field: "note", message: NUL_MESSAGE }],
      },
    });
  });

  test("a NUL character in a field's name, or in a multipart field, is refused too", async () => {
    const key = await postForm("/fields", "na%00me=Ada");
    expect(key.status).toBe(422);
    expect(((await key.json()) as ErrorJson).error.details).toEqual([{ field: "na\u0000me", message: NUL_MESSAGE }]);
    const multipart = new FormData();
    multipart.set("city", "Ber\u0000lin");
    const res = await app().fetch(new Request("http://t/fields", { method: "POST", body: multipart }));
    expect(res.status).toBe(422);
  });

  test("a NUL only in the CSRF token is not a field's problem", async () => {
    const res = await postForm("/fields", "name=Ada&_csrf=a%00b");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ name: "Ada" });
  });
});

describe("formBody", () => {
  test("parsed data and the raw fields", async () => {
    const res = await postForm("/form", "name=Ada&age=36&_csrf=x");
    expect(await res.json()).toEqual({ ok: true, data: { name: "Ada", age: 36 }, raw: { name: "Ada", age: "36" } });
  });

  test("a NUL character is an error at its field, before the schema", async () => {
    const res = await postForm("/form", "name=A&age=1%00");
    expect(await res.json()).toEqual({ ok: false, errors: { age: NUL_MESSAGE }, raw: { name: "A", age: "1\u0000" } });
  });

  test("the schema's first message per field", async () => {
    const res = await postForm("/form", "name=A&age=x");
    const body = (await res.json()) as { ok: boolean; errors: Record<string, string> };
    expect(body.ok).toBe(false);
    expect(body.errors.name).toBe("too short");
    expect(Object.keys(body.errors).sort()).toEqual(["age", "name"]);
  });
});

describe("jsonBody and readJson", () => {
  test("JSON media types are accepted, with parameters and +json suffixes", async () => {
    for (const type of ["application/json", "application/json; charset=utf-8", "application/merge-patch+json"]) {
      const res = await post("/json", type, '{"a":1}');
      expect([type, res.status, await res.json()]).toEqual([type, 200, { a: 1 }]);
    }
  });

  test("another media type is a 415", async () => {
    for (const type of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "application/jsonp",
      "text/json",
      "text/application/json",
      "",
    ]) {
      const res = await post("/json", type, '{"a":1}');
      expect([type, res.status]).toEqual([type, 415]);
      expect(((await res.json()) as ErrorJson).error).toMatchObject({
        code: "unsupported_media_type",
        message: "Send the body as application/json.",
      });
    }
  });

  test("a body that is not JSON is a 400", async () => {
    const res = await post("/json", "application/json", "{nope");
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorJson).error).toMatchObject({
      code: "invalid_json",
      message: "The body is not valid JSON.",
    });
  });

  test("a NUL character deep in the body names its path; a string body names the body", async () => {
    const deep = await post("/json", "application/json", JSON.stringify({ a: { b: [1, { c: "x\u0000" }] } }));
    expect(deep.status).toBe(422);
    expect(((await deep.json()) as ErrorJson).error.details).toEqual([{ field: "a.b.1.c", message: NUL_MESSAGE }]);
    const key = await post("/json", "application/json", JSON.stringify({ a: { "k\u0000": true } }));
    expect(((await key.json()) as ErrorJson).error.details).toEqual([{ field: "a.k\u0000", message: NUL_MESSAGE }]);
    const bare = await post("/json", "application/json", JSON.stringify("x\u0000"));
    expect(((await bare.json()) as ErrorJson).error.details).toEqual([{ field: "(body)", message: NUL_MESSAGE }]);
    const clean = await post("/json", "application/json", JSON.stringify({ a: null, b: 2, c: "\\u0000", d: [true] }));
    expect(clean.status).toBe(200);
  });
});

describe("queryParams and parseWith", () => {
  test("a query that fits is parsed; one that does not is a 422 saying the query is invalid", async () => {
    expect(await (await app().fetch(new Request("http://t/query?name=Ada&age=7"))).json()).toEqual({
      name: "Ada",
      age: 7,
    });
    const res = await app().fetch(new Request("http://t/query?name=A", { headers: { accept: "application/json" } }));
    expect(res.status).toBe(422);
    expect(((await res.json()) as ErrorJson).error).toMatchObject({
      message: "The query is invalid.",
      details: [{ field: "name", message: "too short" }],
    });
  });

  test("parseWith names the body when the value itself is wrong, and uses its default message", () => {
    let thrown: unknown;
    try {
      parseWith(z.string(), 5);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ status: 422, message: "The request is invalid." });
    expect((thrown as { details: unknown }).details).toEqual([
      { field: "(body)", message: "Invalid input: expected string, received number" },
    ]);
  });

  test("issuesOf joins nested paths; fieldErrors keeps each field's first message", () => {
    const schema = z.object({ a: z.object({ b: z.string() }), c: z.string().min(3, "first").regex(/x/, "second") });
    const error = schema.safeParse({ a: { b: 1 }, c: "y" }).error!;
    expect(issuesOf(error).map((issue) => issue.field)).toEqual(["a.b", "c", "c"]);
    expect(fieldErrors(error)).toEqual({ "a.b": "Invalid input: expected string, received number", c: "first" });
  });
});
