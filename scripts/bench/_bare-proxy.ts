/**
 * The least a Bun gateway can do, as a benchmark yardstick: strip `/bench`, add
 * X-Forwarded-For, forward with fetch over kept-alive connections, return the answer as is.
 * No session check, no stylesheet, no metrics. Nexus cannot be faster than this, so its row
 * shows how much of the gap to nginx is Bun's own HTTP path rather than Nexus's work.
 * Usage: bun scripts/bench/_bare-proxy.ts <port> <backend port>
 */
const proxyPort = Number(process.argv[2]);
const backend = `http://127.0.0.1:${Number(process.argv[3])}`;

Bun.serve({
  hostname: "127.0.0.1",
  port: proxyPort,
  fetch(req, server) {
    const path = req.url.slice(req.url.indexOf("/", 8));
    const headers = new Headers(req.headers);
    headers.set("x-forwarded-for", server.requestIP(req)?.address ?? "");
    headers.set("accept-encoding", "identity");
    return fetch(backend + path.slice("/bench".length), {
      method: req.method,
      headers,
      body: req.body,
      redirect: "manual",
      decompress: false,
    });
  },
});
console.log(`bench bare proxy on ${proxyPort}`);
