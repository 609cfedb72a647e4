import { afterAll, expect, test } from "bun:test";
import { createServer, type Server } from "node:http";
import { createLogger, type LogRecord } from "@hivematrix/lib/log";
import { guardListener } from "../src/guard.ts";

const records: LogRecord[] = [];
const logger = createLogger({ service: "dev-idp", write: () => {}, sinks: [(r) => records.push(r)] });
const servers: Server[] = [];
afterAll(() => {
  for (const s of servers) s.close();
});

async function serve(listener: Parameters<typeof guardListener>[0]): Promise<string> {
  const server = createServer(guardListener(listener, logger));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}

const throwing =
  "a listener that throws at once or later is answered with the platform's error shape, and the process lives";
test(throwing, async () => {
  const now = await serve(() => {
    throw new Error("kaboom now");
  });
  const later = await serve(async () => {
    await Bun.sleep(1);
    throw new Error("kaboom later");
  });
  for (const base of [now, later]) {
    const page = await fetch(`${base}/realms/hivematrix/login-actions/x`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(500);
    const html = await page.text();
    expect(html).toContain("Something went wrong");
    expect(html).not.toContain("kaboom");
    expect(html).not.toContain(process.cwd());
    const api = await fetch(`${base}/realms/hivematrix/protocol/openid-connect/token`);
    expect(api.status).toBe(500);
    expect(await api.json()).toMatchObject({ error: { code: "internal_error" } });
  }
  expect(records.filter((r) => r.message === "unhandled error").map((r) => JSON.stringify(r.error))).toEqual([
    expect.stringContaining("kaboom now"),
    expect.stringContaining("kaboom now"),
    expect.stringContaining("kaboom later"),
    expect.stringContaining("kaboom later"),
  ]);
});
