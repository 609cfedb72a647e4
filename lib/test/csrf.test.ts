import { describe, expect, test } from "bun:test";
import { createBaseApp } from "../src/app.ts";
import { createCsrf } from "../src/csrf.ts";
import { createLogger } from "../src/log.ts";

/**
 * The rule: a state-changing request from a person carries the HMAC-SHA256 of `csrf:<session id>`
 * under the app's secret (base64url), as the form field `_csrf` or the X-CSRF-Token header, and
 * nothing else passes. The tokens below were computed outside this code:
 *   printf 'csrf:session-1' | openssl dgst -sha256 -hmac 'csrf-secret' -binary | base64 (url-safe, unpadded)
 */
const SESSION_1 = "F4lzER1DJ_Vrb89KFWFZMznPD8H9ZSexT9083Ag5L6M";
const SESSION_2 = "zD1mtjjiKZI1X8b58gHipGPgQYAXBo90bOvI4svWSgE";

/** A page app whose caller is named by test headers: `x-test-session` (a person's jti) or `x-test-service`. */
function pageApp() {
  const csrf = createCsrf("csrf-secret");
  const app = createBaseApp({ logger: createLogger({ service: "t", level: "error" }), service: "t" });
  app.use(async (c, next) => {
    const jti = c.req.header("x-test-session");
    c.set("user", jti ? ({ jti } as never) : null);
    c.set("isServiceCall", c.req.header("x-test-service") === "yes");
    await next();
  });
  app.use(csrf.protect);
  app.on(["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"], "/thing", (c) => c.text("done"));
  app.get("/token", (c) => c.text(csrf.token(c)));
  return app;
}

const send = (method: string, headers: Record<string, string>, body?: BodyInit) =>
  pageApp().fetch(new Request("http://t/thing", { method, headers: { accept: "application/json", ...headers }, body }));
const asSession1 = { "x-test-session": "session-1" };
const form = (fields: Record<string, string>) => ({
  headers: { ...asSession1, "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});
const postForm = (fields: Record<string, string>) => {
  const { headers, body } = form(fields);
  return send("POST", headers, body);
};
const codeOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe("the CSRF token", () => {
  test("is the HMAC of the session id under the app's secret, one per session", async () => {
    const token = (jti: string) =>
      pageApp().fetch(new Request("http://t/token", { headers: { "x-test-session": jti } }));
    expect(await (await token("session-1")).text()).toBe(SESSION_1);
    expect(await (await token("session-2")).text()).toBe(SESSION_2);
    expect(createCsrf("another-secret").token({ get: () => ({ jti: "session-1" }) } as never)).not.toBe(SESSION_1);
  });

  test("asking for it without a signed-in person is a 401", async () => {
    const res = await pageApp().fetch(new Request("http://t/token", { headers: { accept: "application/json" } }));
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: unknown }).error).toMatchObject({
      code: "unauthorized",
      message: "Sign in first.",
    });
  });
});

describe("a form field _csrf", () => {
  test("the exact token passes", async () => {
    const res = await postForm({ _csrf: SESSION_1, name: "x" });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("done");
  });

  test("a prefix, one character changed, another session's token, or none is refused with 403", async () => {
    const oneCharWrong = `${SESSION_1.slice(0, 20)}A${SESSION_1.slice(21)}`;
    expect(oneCharWrong).not.toBe(SESSION_1);
    expect(oneCharWrong.length).toBe(SESSION_1.length);
    for (const submitted of [
      SESSION_1.slice(0, 1),
      SESSION_1.slice(0, 42),
      `${SESSION_1}A`,
      oneCharWrong,
      SESSION_2,
      "A".repeat(43),
      "",
    ]) {
      const res = await postForm({ _csrf: submitted });
      expect([submitted, res.status]).toEqual([submitted, 403]);
      expect(await codeOf(res)).toBe("csrf_failed");
    }
    const none = await postForm({ name: "x" });
    expect(none.status).toBe(403);
    expect(((await none.json()) as { error: { message: string } }).error.message).toBe(
      "This form has expired or did not come from this site. Reload the page and try again.",
    );
  });

  test("a multipart form is read too", async () => {
    const good = new FormData();
    good.set("_csrf", SESSION_1);
    expect((await send("POST", asSession1, good)).status).toBe(200);
    const bad = new FormData();
    bad.set("_csrf", SESSION_2);
    expect((await send("POST", asSession1, bad)).status).toBe(403);
    const file = new FormData();
    file.set("_csrf", new File([SESSION_1], "token.txt"));
    expect((await send("POST", asSession1, file)).status).toBe(403);
  });

  test("every state-changing method is guarded", async () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      expect([method, (await send(method, asSession1)).status]).toEqual([method, 403]);
      const { headers, body } = form({ _csrf: SESSION_1 });
      expect([method, (await send(method, headers, body)).status]).toEqual([method, 200]);
    }
  });
});

describe("the X-CSRF-Token header", () => {
  test("the exact token passes, with any body", async () => {
    const json = { ...asSession1, "content-type": "application/json", "x-csrf-token": SESSION_1 };
    expect((await send("POST", json, "{}")).status).toBe(200);
    expect((await send("DELETE", { ...asSession1, "x-csrf-token": SESSION_1 })).status).toBe(200);
  });

  test("a prefix or a wrong value is refused, even with the right token in the form", async () => {
    for (const header of [SESSION_1.slice(0, 1), SESSION_1.slice(0, 42), SESSION_2, "A".repeat(43)]) {
      const { headers, body } = form({ _csrf: SESSION_1 });
      const res = await send("POST", { ...headers, "x-csrf-token": header }, body);
      expect([header, res.status]).toEqual([header, 403]);
    }
  });
});

describe("a body that is not a form", () => {
  test("without the header it carries no token, so it is refused", async () => {
    for (const [type, body] of [
      ["application/json", JSON.stringify({ _csrf: SESSION_1 })],
      ["text/plain", `_csrf=${SESSION_1}`],
      ["", `_csrf=${SESSION_1}`],
    ] as const) {
      const res = await send("POST", { ...asSession1, ...(type ? { "content-type": type } : {}) }, body);
      expect([type, res.status]).toEqual([type, 403]);
    }
  });
});

describe("requests the check leaves alone", () => {
  test("GET, HEAD and OPTIONS need no token", async () => {
    for (const method of ["GET", "HEAD", "OPTIONS"]) {
      expect([method, (await send(method, asSession1)).status]).toEqual([method, 200]);
    }
  });

  test("a service call needs no token; a person without a session is asked to sign in", async () => {
    expect((await send("POST", { "x-test-service": "yes" })).status).toBe(200);
    expect((await send("POST", {})).status).toBe(401);
  });
});
