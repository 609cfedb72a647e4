import { afterAll, describe, expect, test } from "bun:test";
import type { Server } from "bun";
import { createBaseApp } from "../src/app.ts";
import { appConfigFrom, loadPlatformConfig } from "../src/config.ts";
import { lastResort } from "../src/last-resort.ts";
import { createLogger, type LogRecord } from "../src/log.ts";
import { serveApp } from "../src/runtime.ts";
import { freePort, tempHome, writeServicesFile } from "../src/testing/index.ts";

const records: LogRecord[] = [];
const logger = createLogger({ service: "test", level: "error", write: () => {}, sinks: [(r) => records.push(r)] });
const servers: Server<unknown>[] = [];
afterAll(() => {
  for (const s of servers) s.stop(true);
});

const HTML = { accept: "text/html,application/xhtml+xml" };

/** Nothing of the runtime's debug page: no stack frames, source, file paths or working directory. */
function expectNoInternals(body: string) {
  expect(body).not.toContain("at ");
  expect(body).not.toContain(process.cwd());
  expect(body).not.toContain("kaboom");
  expect(body).not.toContain(".ts");
  expect(body).not.toContain("node_modules");
}

async function expectPlatformError(res: Response, format: "json" | "html") {
  expect(res.status).toBe(500);
  const body = await res.text();
  expectNoInternals(body);
  if (format === "json") {
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(JSON.parse(body)).toMatchObject({
      error: { code: "internal_error", message: expect.stringContaining("it has been logged") },
    });
  } else {
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(body).toContain("Something went wrong");
    expect(body).toContain('class="alert');
  }
}

const throwing = (kind: "sync" | "async") => (req: Request) => {
  if (kind === "sync") throw new Error(`kaboom ${req.url}`);
  return Promise.reject(new Error(`kaboom ${req.url}`));
};

describe("a handler that throws past every error handler", () => {
  for (const kind of ["sync", "async"] as const) {
    test(`(${kind}) gets the platform's error shape from lastResort.fetch: a page for browsers, JSON for APIs`, async () => {
      const guard = lastResort(logger);
      const server = Bun.serve({
        port: 0,
        hostname: "127.0.0.1",
        fetch: guard.fetch(throwing(kind)),
        error: guard.error,
      });
      servers.push(server);
      await expectPlatformError(await fetch(`${server.url}page`, { headers: HTML }), "html");
      await expectPlatformError(await fetch(`${server.url}api/things`, { headers: HTML }), "json");
      await expectPlatformError(await fetch(`${server.url}page`), "json");
      const logged = records.filter((r) => r.message === "unhandled error" && r.path === "/page");
      expect(logged.length).toBeGreaterThan(0);
      expect(JSON.stringify(logged[0]!.error)).toContain("kaboom");
    });
  }

  test("Bun's own error hook answers JSON in the platform's shape, never its debug page", async () => {
    const server = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch: throwing("async"),
      error: lastResort(logger).error,
    });
    servers.push(server);
    await expectPlatformError(await fetch(`${server.url}page`, { headers: HTML }), "json");
  });

  test("every app served by serveApp: a Hono route that throws, and a throw outside Hono", async () => {
    const home = tempHome();
    const port = await freePort();
    const servicesFile = writeServicesFile(home, { core: { port: await freePort() }, demo: { port } });
    const config = appConfigFrom(
      loadPlatformConfig({ HIVEMATRIX_HOME: home, HIVEMATRIX_SERVICES: servicesFile }),
      "demo",
    );
    const app = createBaseApp({ logger, service: "demo" });
    app.get("/boom", () => {
      throw new Error("kaboom in a route");
    });
    const server = serveApp({ config, logger }, (req, env) => {
      if (new URL(req.url).pathname.endsWith("/outside")) throw new Error("kaboom outside hono");
      return app.fetch(req, env);
    });
    servers.push(server as Server<unknown>);
    const base = `http://127.0.0.1:${port}`;
    await expectPlatformError(await fetch(`${base}/boom`, { headers: HTML }), "html");
    await expectPlatformError(await fetch(`${base}/boom`), "json");
    await expectPlatformError(await fetch(`${base}/outside`, { headers: HTML }), "html");
    await expectPlatformError(await fetch(`${base}/api/outside`), "json");
  });
});
