import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { CookieJar, follow } from "@hivematrix/lib/testing";
import type { UploadReport } from "./backend.ts";
import { NAVIGATE, rssOf } from "./helpers.ts";
import { bearer, type ProxyPlatform, startProxyPlatform } from "./proxy-platform.ts";

// Starting real processes (and a browser) can take longer than bun's 5 s default on a busy machine.
setDefaultTimeout(60_000);

let platform: ProxyPlatform["platform"];
let tech: string;
let admin: string;
let stop: ProxyPlatform["stop"] | undefined;

beforeAll(async () => {
  ({ platform, tech, admin, stop } = await startProxyPlatform());
});
afterAll(() => stop?.());

const MB = 1024 * 1024;

describe("streaming", () => {
  test("a 50 MB upload streams to the app without Nexus holding it", async () => {
    const pid = platform.processes.get("nexus")!.proc.pid;
    const before = await rssOf(pid);
    let sent = 0;
    let uploadEndedAt = 0;
    const chunk = new Uint8Array(MB).fill(97);
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent >= 50) {
          uploadEndedAt = Date.now();
          controller.close();
          return;
        }
        // Paced, so "the app saw data before the upload ended" means streaming, not buffering.
        if (sent % 10 === 0) await Bun.sleep(50);
        controller.enqueue(chunk);
        sent++;
      },
    });
    const res = await fetch(`${platform.nexus}/echo/upload`, {
      method: "POST",
      headers: bearer(tech, { "content-type": "application/octet-stream" }),
      body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(200);
    const report = (await res.json()) as UploadReport;
    expect(report.bytes).toBe(50 * MB);
    expect(report.firstChunkAt).toBeLessThan(uploadEndedAt - 100);
    const growth = (await rssOf(pid)) - before;
    expect(growth).toBeLessThan(25 * MB);
  });

  /** A paced upload of `mb` megabytes, `pauseMs` between megabytes, with or without its length. */
  const pacedUpload = (mb: number, pauseMs: number, withLength: boolean) => {
    let sent = 0;
    const chunk = new Uint8Array(MB).fill(98);
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent >= mb) return controller.close();
        if (pauseMs) await Bun.sleep(pauseMs);
        controller.enqueue(chunk);
        sent++;
      },
    });
    const length: Record<string, string> = withLength ? { "content-length": String(mb * MB) } : {};
    return fetch(`${platform.nexus}/echo/upload`, {
      method: "POST",
      headers: bearer(tech, { "content-type": "application/octet-stream", ...length }),
      body,
      duplex: "half",
    } as RequestInit);
  };

  test("an upload slower than the upstream timeout (1 s here) is not cut off: the wait starts once it is sent", async () => {
    for (const withLength of [true, false]) {
      const started = Date.now();
      const res = await pacedUpload(4, 600, withLength);
      expect(res.status).toBe(200);
      expect(((await res.json()) as UploadReport).bytes).toBe(4 * MB);
      expect(Date.now() - started).toBeGreaterThan(2000);
    }
  });

  test("an upload above Bun's default body limit (128 MiB) passes through, streamed", async () => {
    const res = await pacedUpload(160, 0, true);
    expect(res.status).toBe(200);
    expect(((await res.json()) as UploadReport).bytes).toBe(160 * MB);
  });

  test("an export of up to 8 MB keeps its length, so the browser can show progress", async () => {
    for (const kb of [1, 3 * 1024]) {
      const res = await fetch(`${platform.nexus}/echo/export.csv?kb=${kb}`, {
        headers: bearer(tech, { "accept-encoding": "identity" }),
      });
      expect(res.headers.get("content-length")).toBe(String(kb * 1024));
      expect(res.headers.get("content-disposition")).toBe('attachment; filename="export.csv"');
      expect((await res.arrayBuffer()).byteLength).toBe(kb * 1024);
      // Compressed, it states the length of what is sent.
      const zipped = await fetch(`${platform.nexus}/echo/export.csv?kb=${kb}`, {
        headers: bearer(tech, { "accept-encoding": "gzip" }),
        decompress: false,
      });
      expect(zipped.headers.get("content-encoding")).toBe("gzip");
      const sent = new Uint8Array(await zipped.arrayBuffer());
      expect(zipped.headers.get("content-length")).toBe(String(sent.length));
      expect(Bun.gunzipSync(sent).length).toBe(kb * 1024);
    }
    const big = await fetch(`${platform.nexus}/echo/export.csv?kb=${9 * 1024}`, { headers: bearer(tech) });
    expect(big.headers.get("content-length")).toBeNull();
    expect((await big.arrayBuffer()).byteLength).toBe(9 * 1024 * 1024);
  });

  test("a 50 MB download streams to the client without Nexus holding it", async () => {
    const pid = platform.processes.get("nexus")!.proc.pid;
    const before = await rssOf(pid);
    const res = await fetch(`${platform.nexus}/echo/download?mb=50`, { headers: bearer(tech) });
    expect(res.status).toBe(200);
    let bytes = 0;
    let peak = 0;
    let chunks = 0;
    const reader = res.body!.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      bytes += r.value.length;
      // Read slowly for a while: a buffering proxy would swallow the whole body meanwhile.
      if (chunks++ % 40 === 0) {
        await Bun.sleep(20);
        peak = Math.max(peak, (await rssOf(pid)) - before);
      }
    }
    expect(bytes).toBe(50 * MB);
    expect(peak).toBeLessThan(25 * MB);
  });

  test("server-sent events arrive as they are sent, not when the stream ends", async () => {
    const started = Date.now();
    const res = await fetch(`${platform.nexus}/echo/events`, {
      headers: bearer(tech, { accept: "text/event-stream" }),
    });
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const arrivals: { n: number; sentAt: number; gotAt: number }[] = [];
    let buffered = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffered.indexOf("\n\n")) >= 0) {
        const data = /data: (.*)/.exec(buffered.slice(0, end))![1]!;
        buffered = buffered.slice(end + 2);
        const event = JSON.parse(data) as { n: number; at: number };
        arrivals.push({ n: event.n, sentAt: event.at, gotAt: Date.now() });
      }
    }
    expect(arrivals.map((a) => a.n)).toEqual([1, 2, 3]);
    // The stream lasts ~1.2 s; the first event must not wait for its end.
    expect(arrivals[0]!.gotAt - started).toBeLessThan(600);
    for (const a of arrivals) expect(a.gotAt - a.sentAt).toBeLessThan(250);
  });
});

describe("backends that fail", () => {
  test("a backend that is down gives a clear 502 page in under a second", async () => {
    const started = performance.now();
    const res = await fetch(`${platform.nexus}/down/page`, { headers: bearer(tech, NAVIGATE) });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(res.status).toBe(502);
    const html = await res.text();
    expect(html).toContain("Down is not reachable right now");
    expect(html).toContain('<link rel="stylesheet" href="/static/global.');
    const api = await fetch(`${platform.nexus}/down/api/x`, { headers: bearer(tech) });
    expect(api.status).toBe(502);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("upstream_unavailable");
  });

  test("a backend slower than the upstream timeout gives a 504", async () => {
    const started = performance.now();
    const res = await fetch(`${platform.nexus}/echo/slow`, { headers: bearer(tech) });
    expect(res.status).toBe(504);
    expect(performance.now() - started).toBeLessThan(2_500);
  });

  test("metrics count upstream errors", async () => {
    const res = await fetch(`${platform.nexus}/metrics`, { headers: bearer(admin) });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/nexus_upstream_errors_total\{[^}]*target="down"[^}]*kind="unreachable"[^}]*\} [1-9]/);
    expect(text).toMatch(/nexus_upstream_errors_total\{[^}]*target="echo"[^}]*kind="timeout"[^}]*\} [1-9]/);
    expect(text).toContain("nexus_upstream_duration_seconds_bucket");
    expect((await fetch(`${platform.nexus}/metrics`, { headers: bearer(tech) })).status).toBe(403);
    expect((await fetch(`${platform.nexus}/metrics`)).status).toBe(401);
  });
});

describe("WebSocket", () => {
  test("frames pass both ways, with the subprotocol the app chose", async () => {
    const url = `${platform.nexus.replace("http", "ws")}/echo/ws`;
    const ws = new (WebSocket as unknown as new (u: string, o: Bun.WebSocketOptions) => WebSocket)(url, {
      headers: { authorization: `Bearer ${tech}`, origin: platform.nexus },
      protocols: ["chat.v1"],
    });
    const messages: string[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.onmessage = (e) => {
        messages.push(String(e.data));
        if (messages.length === 1) ws.send("ping");
        if (messages.length === 2) resolve();
      };
      ws.onerror = () => reject(new Error("websocket error"));
    });
    expect(ws.protocol).toBe("chat.v1");
    expect(messages).toEqual(["hello chat.v1", "echo: ping"]);
    ws.close();
  });

  test("a WebSocket without a session is refused", async () => {
    const res = await fetch(`${platform.nexus}/echo/ws`, {
      headers: {
        upgrade: "websocket",
        connection: "Upgrade",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
        "sec-websocket-version": "13",
      },
    });
    expect(res.status).toBe(401);
  });

  test("an upgrade from another site's page, or with no Origin, is refused before reaching the app", async () => {
    const upgrade = (origin?: string) =>
      fetch(`${platform.nexus}/echo/ws`, {
        headers: {
          upgrade: "websocket",
          connection: "Upgrade",
          "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
          "sec-websocket-version": "13",
          authorization: `Bearer ${tech}`,
          ...(origin ? { origin } : {}),
        },
      });
    for (const origin of ["https://evil.example", "null", undefined]) {
      const res = await upgrade(origin);
      expect(res.status, String(origin)).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: "websocket_origin_refused" } });
    }
  });
});

describe("the identity provider's pages", () => {
  test("get the apps' security headers: CSP that forbids framing, and no MIME sniffing", async () => {
    const signIn = (await follow(new CookieJar(), `${platform.nexus}/echo/page`, { headers: NAVIGATE })).res;
    expect(await signIn.text()).toContain('name="password"');
    const signOut = await fetch(`${platform.nexus}/keycloak/realms/hivematrix/protocol/openid-connect/logout`);
    for (const res of [signIn, signOut]) {
      expect(res.headers.get("content-type")).toContain("text/html");
      expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });
});

describe("load", () => {
  test("400 concurrent keep-alive connections are all answered without errors", async () => {
    const { port, hostname } = new URL(platform.nexus);
    const request =
      `GET /echo/api/headers HTTP/1.1\r\nHost: ${hostname}:${port}\r\n` + `Authorization: Bearer ${tech}\r\n\r\n`;
    const perConnection = 5;
    const results = await Promise.all(
      Array.from(
        { length: 400 },
        () =>
          new Promise<number[]>((resolve, reject) => {
            const statuses: number[] = [];
            let buffered = "";
            Bun.connect({
              hostname,
              port: Number(port),
              socket: {
                open(socket) {
                  socket.write(request);
                },
                data(socket, data) {
                  buffered += data.toString();
                  // Each answer is a complete JSON body with a Content-Length; count them as they finish.
                  for (;;) {
                    const head = buffered.indexOf("\r\n\r\n");
                    if (head < 0) return;
                    const length = Number(/content-length: (\d+)/i.exec(buffered.slice(0, head))?.[1] ?? -1);
                    if (length < 0 || buffered.length < head + 4 + length) return;
                    statuses.push(Number(buffered.slice(9, 12)));
                    buffered = buffered.slice(head + 4 + length);
                    if (statuses.length === perConnection) {
                      socket.end();
                      resolve(statuses);
                      return;
                    }
                    socket.write(request);
                  }
                },
                error: (_s, e) => reject(e),
                close: () =>
                  statuses.length < perConnection ? reject(new Error(`closed after ${statuses.length}`)) : undefined,
              },
            }).catch(reject);
          }),
      ),
    );
    const all = results.flat();
    expect(all.length).toBe(400 * perConnection);
    expect(all.filter((s) => s !== 200)).toEqual([]);
  }, 60_000);
});
