/**
 * The backend every gateway benchmark target proxies to: a page shaped like an app's (about
 * 6 KB of HTML) and a JSON endpoint, served as fast as Bun can so the proxies are what differ.
 * Usage: bun scripts/bench/_backend.ts <port>
 */
const port = Number(process.argv[2]);
const rows = Array.from(
  { length: 40 },
  (_, i) =>
    `<tr class="table__row"><td class="table__cell">Company ${i}</td><td class="table__cell">ACME-${String(i).padStart(3, "0")}</td><td class="table__cell">Managed</td></tr>`,
).join("");
const page = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Companies · Codex</title></head><body class="layout"><header class="layout__header"><a class="layout__brand" href="/codex/">Codex</a></header><main class="layout__main" id="main"><div class="page-header"><h1 class="page-header__title">Companies</h1></div><table class="table"><tbody>${rows}</tbody></table></main></body></html>`;
const json = JSON.stringify({
  items: Array.from({ length: 10 }, (_, i) => ({
    id: i,
    name: `Company ${i}`,
    account_number: `ACME-${i}`,
    plan: "Managed",
  })),
  total: 10,
});
const htmlHeaders = { "content-type": "text/html; charset=UTF-8", "cache-control": "no-store" };
const jsonHeaders = { "content-type": "application/json" };

Bun.serve({
  hostname: "127.0.0.1",
  port,
  fetch(req) {
    const path = req.url.slice(req.url.indexOf("/", 8));
    if (path === "/page") return new Response(page, { headers: htmlHeaders });
    if (path === "/api/data") return new Response(json, { headers: jsonHeaders });
    if (path === "/health") return new Response("ok");
    return new Response("not found", { status: 404 });
  },
});
console.log(`bench backend on ${port}`);
