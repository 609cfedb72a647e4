import type { Server } from "bun";

export interface UploadReport {
  bytes: number;
  /** When the backend saw the first chunk and the last one (performance.timeOrigin-based ms since epoch). */
  firstChunkAt: number;
  lastChunkAt: number;
}

const MB = 1024 * 1024;

/**
 * A small app for proxy tests, on the port the test platform registered for it: it reports
 * what it received, streams large bodies and server-sent events, and echoes WebSocket frames.
 */
export function startBackend(port: number): Server<{ protocol: string }> {
  return Bun.serve<{ protocol: string }>({
    hostname: "127.0.0.1",
    port,
    idleTimeout: 0,
    // An app that takes uploads bigger than Bun's default 128 MiB (Codex with a high attachment limit).
    maxRequestBodySize: 1024 * MB,
    async fetch(req, server) {
      const url = new URL(req.url);
      if (url.pathname.startsWith("/hooks/"))
        return Response.json({ method: req.method, path: url.pathname, headers: Object.fromEntries(req.headers) });
      switch (url.pathname) {
        case "/headers":
        case "/api/headers":
          return Response.json({
            method: req.method,
            path: url.pathname,
            search: url.search,
            headers: Object.fromEntries(req.headers),
          });
        case "/page":
          return new Response(
            '<!DOCTYPE html><html lang="en"><head><title>Backend page</title></head>' +
              '<body><h1 class="page-header__title">Hello from the backend</h1></body></html>',
            {
              headers: { "content-type": "text/html; charset=utf-8" },
            },
          );
        case "/set-cookie":
          return new Response("ok", { headers: { "set-cookie": "hm_session=stolen; Path=/" } });
        case "/redirect":
          return new Response(null, { status: 302, headers: { location: `http://127.0.0.1:${port}/page` } });
        case "/form":
          return Response.json({ method: req.method, body: await req.text() });
        case "/upload": {
          let bytes = 0;
          let firstChunkAt = 0;
          let lastChunkAt = 0;
          const reader = req.body!.getReader();
          for (let r = await reader.read(); !r.done; r = await reader.read()) {
            if (!firstChunkAt) firstChunkAt = Date.now();
            lastChunkAt = Date.now();
            bytes += r.value.length;
          }
          return Response.json({ bytes, firstChunkAt, lastChunkAt } satisfies UploadReport);
        }
        case "/export.csv": {
          const kb = Number(url.searchParams.get("kb") ?? "1");
          return new Response(new Uint8Array(kb * 1024).fill(97), {
            headers: { "content-type": "text/csv", "content-disposition": 'attachment; filename="export.csv"' },
          });
        }
        case "/download": {
          const total = Number(url.searchParams.get("mb") ?? "1") * MB;
          const chunk = new Uint8Array(256 * 1024).fill(120);
          let sent = 0;
          return new Response(
            new ReadableStream<Uint8Array>({
              pull(controller) {
                if (sent >= total) return controller.close();
                controller.enqueue(chunk.slice());
                sent += chunk.length;
              },
            }),
            { headers: { "content-type": "application/octet-stream" } },
          );
        }
        case "/events": {
          const encoder = new TextEncoder();
          return new Response(
            new ReadableStream({
              async start(controller) {
                for (let i = 1; i <= 3; i++) {
                  controller.enqueue(encoder.encode(`id: ${i}\ndata: {"n":${i},"at":${Date.now()}}\n\n`));
                  await Bun.sleep(400);
                }
                controller.close();
              },
            }),
            { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } },
          );
        }
        case "/slow":
          await Bun.sleep(3_000);
          return new Response("late");
        case "/ws": {
          const protocol = req.headers.get("sec-websocket-protocol")?.split(",")[0]?.trim() ?? "";
          const ok = server.upgrade(req, {
            data: { protocol },
            headers: protocol ? { "sec-websocket-protocol": protocol } : {},
          });
          return ok ? undefined : new Response("upgrade failed", { status: 400 });
        }
        default:
          return Response.json({ path: url.pathname }, { status: url.pathname === "/" ? 200 : 404 });
      }
    },
    websocket: {
      open(ws) {
        ws.send(`hello ${ws.data.protocol || "no-protocol"}`);
      },
      message(ws, message) {
        ws.send(typeof message === "string" ? `echo: ${message}` : message);
      },
    },
  });
}
