import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { access } from "../src/access.ts";
import { createAppShell } from "../src/app-shell.ts";
import { createLogger } from "../src/log.ts";
import { apiRoute, pageRoute } from "../src/route-table.ts";
import { type TestIdentity, testIdentity } from "../src/testing/index.ts";
import type { UploadRule } from "../src/uploads/index.ts";

const staff = access.callers("staff", ["admin", "technician"]);
const KB = 1024;

/**
 * An app with one upload route of each kind: the API's raw body and a page's multipart form.
 * Each answers what it received (and keeps nothing: the route table removes the temporary files).
 */
function uploadApp(identity: TestIdentity, rule: UploadRule) {
  const { app, routes } = createAppShell({
    service: "files",
    title: "Files",
    description: "test",
    deps: { logger: createLogger({ service: "files", level: "error" }), auth: identity.auth, csrf: identity.csrf },
    layout: ({ children }) => <main>{children}</main>,
    maxBodyBytes: 2 * KB,
  });
  const received = (c: Parameters<Parameters<typeof routes.page>[1]>[0]) => {
    const upload = c.get("upload")!;
    return c.json({
      fields: upload.fields,
      files: upload.files.map((file) => ({ filename: file.filename, size: file.size, sha256: file.sha256 })),
      tooLarge: upload.tooLarge,
      tooMany: upload.tooMany,
    });
  };
  routes.api(
    apiRoute({
      method: "post",
      path: "/api/files/{id}",
      access: staff,
      tags: ["Files"],
      summary: "Upload",
      upload: { ...rule, maxFiles: 1 },
      request: {
        params: z.object({ id: z.string() }),
        body: { required: true, content: { "application/octet-stream": { schema: z.string() } } },
      },
      responses: { 200: { description: "What arrived", content: { "application/json": { schema: z.object({}) } } } },
    }),
    received as never,
  );
  routes.page(
    pageRoute({ method: "post", path: "/files", access: access.people("staff", ["admin"]), upload: rule }),
    received,
  );
  return app;
}

describe("upload routes", () => {
  let identity: TestIdentity;
  let dir: string;
  let app: ReturnType<typeof uploadApp>;
  beforeAll(async () => {
    identity = await testIdentity("files");
    dir = mkdtempSync(join(tmpdir(), "hm-uploads-"));
    app = uploadApp(identity, { dir, maxFileBytes: 64 * KB, maxFiles: 2 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const raw = async (bytes: Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) =>
    app.fetch(
      new Request("http://files.test/api/files/1", {
        method: "POST",
        headers: { authorization: `Bearer ${await identity.token("admin")}`, ...headers },
        body: bytes,
      }),
    );
  const form = async (build: (form: FormData) => void, csrf = true) => {
    const body = new FormData();
    if (csrf) body.append("_csrf", await identity.csrfFor("admin"));
    build(body);
    return app.fetch(
      new Request("http://files.test/files", {
        method: "POST",
        headers: { authorization: `Bearer ${await identity.token("admin")}`, accept: "application/json" },
        body,
      }),
    );
  };

  test("a raw body above the app's buffered limit streams in under the route's own, and nothing stays behind", async () => {
    const bytes = new Uint8Array(40 * KB).fill(7);
    const res = await raw(bytes);
    expect(res.status).toBe(200);
    const answer = await res.json();
    expect(answer.files).toEqual([
      { filename: "", size: 40 * KB, sha256: new Bun.CryptoHasher("sha256").update(bytes).digest("hex") },
    ]);
    expect(readdirSync(dir)).toEqual([]);
  });

  test("a raw body over the route's limit is a 413, declared or streamed, and nothing stays behind", async () => {
    expect((await raw(new Uint8Array(64 * KB + 1))).status).toBe(413);
    const declared = await raw(new Uint8Array(16), { "content-length": String(10 * 1024 * KB) });
    expect(declared.status).toBe(413);
    expect(readdirSync(dir)).toEqual([]);
  });

  test("a form's files and fields arrive; one too large or too many is named and left out", async () => {
    const res = await form((body) => {
      body.append("subject", "Hello");
      body.append("attachments", new Blob([new Uint8Array(10)]), "small.bin");
      body.append("attachments", new Blob([new Uint8Array(64 * KB + 1)]), "big.bin");
      body.append("attachments", new Blob([new Uint8Array(1)]), "third.bin");
      body.append("attachments", new Blob([new Uint8Array(1)]), "fourth.bin");
    });
    expect(res.status).toBe(200);
    const answer = await res.json();
    expect(answer.fields).toEqual({ subject: "Hello" });
    expect(answer.files.map((f: { filename: string }) => f.filename)).toEqual(["small.bin"]);
    expect(answer.tooLarge).toEqual(["big.bin"]);
    expect(answer.tooMany).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });

  test("a form without its CSRF token is refused; a file sent before the token is dropped; nothing is kept", async () => {
    expect((await form((body) => body.append("attachments", new Blob(["x"]), "x.txt"), false)).status).toBe(403);
    const after = new FormData();
    after.append("attachments", new Blob(["x"]), "x.txt");
    after.append("_csrf", await identity.csrfFor("admin"));
    const res = await app.fetch(
      new Request("http://files.test/files", {
        method: "POST",
        headers: { authorization: `Bearer ${await identity.token("admin")}`, accept: "application/json" },
        body: after,
      }),
    );
    expect(res.status).toBe(200);
    expect((await res.json()).files).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });

  test("a broken multipart body is a 400, not a 500", async () => {
    const res = await app.fetch(
      new Request("http://files.test/files", {
        method: "POST",
        headers: {
          authorization: `Bearer ${await identity.token("admin")}`,
          "x-csrf-token": await identity.csrfFor("admin"),
          "content-type": "multipart/form-data; boundary=zzz",
          accept: "application/json",
        },
        body: '--zzz\r\nContent-Disposition: form-data; name="a"\r\n\r\nunfinished',
      }),
    );
    expect(res.status).toBe(400);
  });
});
