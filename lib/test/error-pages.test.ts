import { expect, test } from "bun:test";
import { createBaseApp } from "../src/app.ts";
import { createLogger } from "../src/log.ts";

const app = createBaseApp({ logger: createLogger({ service: "codex", write: () => {} }), service: "codex" });

test("a 404 names the path the person asked for: behind Nexus, with the app's prefix", async () => {
  const behindNexus = await app.fetch(
    new Request("http://127.0.0.1/board", { headers: { "x-forwarded-prefix": "/codex", accept: "text/html" } }),
  );
  expect(behindNexus.status).toBe(404);
  const html = await behindNexus.text();
  expect(html).toContain("Nothing at /codex/board.");
  expect(html).toContain('href="/codex/"');
  const api = await app.fetch(
    new Request("http://127.0.0.1/api/nope", { headers: { "x-forwarded-prefix": "/codex" } }),
  );
  expect(((await api.json()) as { error: { message: string } }).error.message).toBe("Nothing at /codex/api/nope.");
  const direct = await app.fetch(new Request("http://127.0.0.1/board", { headers: { accept: "text/html" } }));
  expect(await direct.text()).toContain("Nothing at /board.");
});

test("an error is a page only for a client asking for HTML outside /api/; everyone else gets JSON", async () => {
  const kindOf = async (path: string, accept?: string) => {
    const res = await app.fetch(new Request(`http://127.0.0.1${path}`, accept ? { headers: { accept } } : {}));
    return res.headers.get("content-type")?.split(";")[0];
  };
  expect(await kindOf("/board", "text/html,application/xhtml+xml")).toBe("text/html");
  expect(await kindOf("/api/board", "text/html")).toBe("application/json");
  for (const accept of [undefined, "*/*", "application/json", "text/event-stream", "image/avif,image/webp,*/*"])
    expect(await kindOf("/board", accept)).toBe("application/json");
});
