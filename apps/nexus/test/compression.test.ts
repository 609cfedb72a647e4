import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import zlib from "node:zlib";
import { chooseEncoding } from "../src/compression/negotiate.ts";
import { startNexusPlatform } from "./helpers.ts";

// Real processes: the IdP, Core and Nexus, with a backend served by this test.
setDefaultTimeout(60_000);

const rows = Array.from({ length: 80 }, (_, i) => `<tr><td>Company ${i}</td><td>ACME-${i}</td></tr>`).join("");
const PAGE = `<!DOCTYPE html><html><head><title>Companies</title></head><body><table>${rows}</table></body></html>`;
const LIST = JSON.stringify({ items: Array.from({ length: 60 }, (_, i) => ({ id: i, name: `Company ${i}` })) });

let platform: Awaited<ReturnType<typeof startNexusPlatform>>;
let backend: ReturnType<typeof Bun.serve>;
let token: string;
/** Lets the slow export send its last rows. */
let finishExport: () => void = () => {};

beforeAll(async () => {
  platform = await startNexusPlatform({ app: { title: "App", start: false } });
  backend = Bun.serve({
    hostname: "127.0.0.1",
    port: platform.ports.app!,
    idleTimeout: 0,
    fetch(req) {
      const path = new URL(req.url).pathname;
      if (path === "/page") return new Response(PAGE, { headers: { "content-type": "text/html; charset=utf-8" } });
      if (path === "/api/list")
        return new Response(LIST, { headers: { "content-type": "application/json", etag: '"v1"' } });
      if (path === "/api/small") return Response.json({ ok: true });
      if (path === "/api/gzipped")
        return new Response(Bun.gzipSync(Buffer.from(LIST)), {
          headers: { "content-type": "application/json", "content-encoding": "gzip" },
        });
      if (path === "/events")
        return new Response(`data: ${"x".repeat(2000)}\n\n`, { headers: { "content-type": "text/event-stream" } });
      if (path === "/export.csv") {
        const released = new Promise<void>((resolve) => (finishExport = resolve));
        return new Response(
          new ReadableStream<Uint8Array>({
            async start(controller) {
              controller.enqueue(new TextEncoder().encode(`id,name\n${"1,first rows\n".repeat(200)}`));
              await released;
              controller.enqueue(new TextEncoder().encode("2,last row\n"));
              controller.close();
            },
          }),
          { headers: { "content-type": "text/csv" } },
        );
      }
      return new Response("not found", { status: 404 });
    },
  });
  token = await platform.token("technician");
});
afterAll(async () => {
  backend?.stop(true);
  await platform?.stop();
});

/** Through Nexus as a signed-in API client, reading the bytes as sent (no decoding by fetch). */
const get = (path: string, acceptEncoding: string | null, extra: Record<string, string> = {}) =>
  fetch(`${platform.nexus}${path}`, {
    headers: {
      authorization: `Bearer ${token}`,
      ...(acceptEncoding === null ? {} : { "accept-encoding": acceptEncoding }),
      ...extra,
    },
    decompress: false,
  });

const decode: Record<string, (bytes: Uint8Array) => Uint8Array> = {
  zstd: (bytes) => Bun.zstdDecompressSync(bytes),
  br: (bytes) => zlib.brotliDecompressSync(bytes),
  gzip: (bytes) => Bun.gunzipSync(bytes as Uint8Array<ArrayBuffer>),
};

describe("choosing a coding from Accept-Encoding", () => {
  test("the highest q wins, ties go to zstd, then br, then gzip", () => {
    expect(chooseEncoding("gzip, deflate, br, zstd")).toBe("zstd");
    expect(chooseEncoding("gzip, deflate, br")).toBe("br");
    expect(chooseEncoding("gzip;q=0.5, br;q=0.8")).toBe("br");
    expect(chooseEncoding("gzip;q=1, zstd;q=0.1, br;q=0.2")).toBe("gzip");
    expect(chooseEncoding("GZIP")).toBe("gzip");
    expect(chooseEncoding("*")).toBe("zstd");
    expect(chooseEncoding("*;q=0, gzip")).toBe("gzip");
    expect(chooseEncoding("br;q=0.5, *;q=0.9")).toBe("zstd");
  });

  test("identity, q=0, nonsense and nothing mean the body goes as it is", () => {
    for (const header of [null, "", "identity", "deflate", "zstd;q=0, br;q=0.000, gzip;q=0", "gzip;q=abc", "*;q=0"])
      expect(chooseEncoding(header)).toBeNull();
  });
});

describe("compressed responses", () => {
  test("a page gets its stylesheet, then is compressed with the coding the browser prefers", async () => {
    for (const [accept, coding] of [
      ["gzip, deflate, br, zstd", "zstd"],
      ["gzip, deflate, br", "br"],
      ["gzip", "gzip"],
    ] as const) {
      const res = await get("/app/page", accept, { accept: "text/html" });
      expect(res.headers.get("content-encoding")).toBe(coding);
      expect(res.headers.get("vary")).toContain("Accept-Encoding");
      const sent = new Uint8Array(await res.arrayBuffer());
      expect(res.headers.get("content-length")).toBe(String(sent.length));
      const page = new TextDecoder().decode(decode[coding]!(sent));
      expect(page).toContain('<link rel="stylesheet" href="/static/global.');
      expect(page.length).toBeGreaterThan(sent.length * 3);
    }
  });

  test("JSON over 1 KB is compressed (its ETag made weak); identity or no header gets it as it is, with Vary", async () => {
    const zipped = await get("/app/api/list", "gzip");
    expect(zipped.headers.get("content-encoding")).toBe("gzip");
    expect(zipped.headers.get("etag")).toBe('W/"v1"');
    expect(JSON.parse(new TextDecoder().decode(decode.gzip!(new Uint8Array(await zipped.arrayBuffer()))))).toEqual(
      JSON.parse(LIST),
    );
    for (const accept of ["identity", null]) {
      const plain = await get("/app/api/list", accept);
      expect(plain.headers.get("content-encoding")).toBeNull();
      expect(plain.headers.get("vary")).toContain("Accept-Encoding");
      expect(plain.headers.get("etag")).toBe('"v1"');
      expect(await plain.text()).toBe(LIST);
    }
  });

  test("a small body, a body the app encoded itself and an event stream pass as they are", async () => {
    const small = await get("/app/api/small", "gzip, br, zstd");
    expect(small.headers.get("content-encoding")).toBeNull();
    expect(await small.json()).toEqual({ ok: true });

    const encoded = await get("/app/api/gzipped", "gzip, br, zstd");
    expect(encoded.headers.get("content-encoding")).toBe("gzip");
    expect(new TextDecoder().decode(decode.gzip!(new Uint8Array(await encoded.arrayBuffer())))).toBe(LIST);

    const events = await get("/app/events", "gzip, br, zstd", { accept: "text/event-stream" });
    expect(events.headers.get("content-type")).toBe("text/event-stream");
    expect(events.headers.get("content-encoding")).toBeNull();
    expect(await events.text()).toStartWith("data: xxx");
  });

  test("a streamed export is compressed as it flows: its first rows arrive before it ends", async () => {
    const res = await get("/app/export.csv", "gzip");
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(res.headers.get("content-length")).toBeNull();
    const reader = res.body!.getReader();
    const inflate = zlib.createGunzip();
    let text = "";
    inflate.on("data", (chunk: Buffer) => (text += chunk.toString()));
    // The export has not ended (the backend waits to be released), yet its first rows decode.
    const deadline = Date.now() + 5_000;
    while (!text.includes("first rows") && Date.now() < deadline) {
      const { value, done } = await Promise.race([
        reader.read(),
        Bun.sleep(5_000).then(() => ({ done: true as const, value: undefined })),
      ]);
      if (done) break;
      inflate.write(value);
      await Bun.sleep(10);
    }
    expect(text).toStartWith("id,name\n1,first rows\n");
    expect(text).not.toContain("last row");
    finishExport();
    for (let r = await reader.read(); !r.done; r = await reader.read()) inflate.write(r.value);
    await new Promise((resolve) => inflate.end(resolve));
    expect(text).toEndWith("2,last row\n");
  });

  test("global.css is sent compressed once and for all, with an ETag per coding", async () => {
    const plain = await fetch(`${platform.nexus}/static/global.css`, { headers: { "accept-encoding": "identity" } });
    const css = await plain.text();
    const zipped = await fetch(`${platform.nexus}/static/global.css`, {
      headers: { "accept-encoding": "br" },
      decompress: false,
    });
    expect(zipped.headers.get("content-encoding")).toBe("br");
    expect(zipped.headers.get("vary")).toBe("Accept-Encoding");
    const sent = new Uint8Array(await zipped.arrayBuffer());
    expect(new TextDecoder().decode(decode.br!(sent))).toBe(css);
    expect(sent.length).toBeLessThan(css.length / 4);
    const etag = zipped.headers.get("etag")!;
    expect(etag).not.toBe(plain.headers.get("etag"));
    const again = await fetch(`${platform.nexus}/static/global.css`, {
      headers: { "accept-encoding": "br", "if-none-match": etag },
    });
    expect(again.status).toBe(304);
  });
});
