/**
 * What `bench pages` times, found as ../shared/tools/crawl.ts finds it: every page reachable by
 * links from Nexus's home page (breadth first), and every GET operation of each app's
 * /api/openapi.json. Pages are grouped by kind (a path segment holding a digit is an id; query
 * values do not count), so a list of 1,000 companies is one kind with a few sample URLs.
 */

export interface Target {
  /** `/codex/companies/{id}`, `/codex/tickets?status`. */
  kind: string;
  api: boolean;
  urls: string[];
}

const SKIP = /\/logout|\/sign-?out|\.zip|\.csv|export|download|\/keycloak\/|tail|stream|events/i;

const htmlText = (text: string) =>
  text
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">");

export function kindOf(url: URL): string {
  const path = url.pathname
    .split("/")
    .map((segment) => (/\d/.test(segment) ? "{id}" : segment))
    .join("/");
  const names = [...new Set(url.searchParams.keys())].sort();
  return names.length ? `${path}?${names.join("&")}` : path;
}

async function get(url: string, headers: Record<string, string>) {
  const res = await fetch(url, { headers, redirect: "manual" });
  const type = res.headers.get("content-type") ?? "";
  // A live stream never ends: its kind is not something to time.
  if (type.includes("event-stream")) {
    await res.body?.cancel();
    return { res, html: null };
  }
  const body = await res.text();
  return { res, html: type.includes("html") ? body : null };
}

/** Pages reachable from `/` through links, at most `samples` URLs of each kind and `maxKinds` kinds. */
export async function discoverPages(
  nexus: string,
  cookie: string,
  options: { samples: number; maxKinds: number; extra: string[] },
): Promise<Target[]> {
  const kinds = new Map<string, Target>();
  const queue = ["/", ...options.extra];
  const seen = new Set<string>();
  while (queue.length) {
    const path = queue.shift()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const url = new URL(path, nexus);
    const kind = kindOf(url);
    const known = kinds.get(kind);
    if (known && known.urls.length >= options.samples) continue;
    if (!known && kinds.size >= options.maxKinds) continue;
    const { res, html } = await get(url.toString(), { cookie, accept: "text/html" });
    if (res.status !== 200 || html === null) continue;
    (known ?? kinds.set(kind, { kind, api: false, urls: [] }).get(kind)!).urls.push(path);
    for (const match of html.matchAll(/href="([^"#]+)/g)) {
      const next = new URL(htmlText(match[1]!), url);
      if (next.origin === url.origin && !SKIP.test(next.pathname) && !/\/static\//.test(next.pathname))
        queue.push(`${next.pathname}${next.search}`);
    }
  }
  return [...kinds.values()];
}

interface Operation {
  parameters?: { name: string; in: string; required?: boolean }[];
}

interface OpenApiDocument {
  paths?: Record<string, Record<string, Operation>>;
}

/**
 * Every GET of every app's API document. A path parameter is filled from `samples` by its name
 * (`{id}` by what the path names: `/api/tickets/{id}` → samples.ticket), and so is a required
 * query parameter; an operation with one that has no sample is skipped.
 */
export async function discoverApis(
  nexus: string,
  cookie: string,
  apps: string[],
  samples: Record<string, string>,
): Promise<{ targets: Target[]; skipped: string[] }> {
  const targets: Target[] = [];
  const skipped: string[] = [];
  for (const app of apps) {
    const res = await fetch(`${nexus}/${app}/api/openapi.json`, { headers: { cookie, accept: "application/json" } });
    if (res.status !== 200) {
      await res.body?.cancel();
      continue;
    }
    const doc = (await res.json()) as OpenApiDocument;
    for (const [path, operations] of Object.entries(doc.paths ?? {})) {
      if (!("get" in operations) || SKIP.test(path) || path === "/api/openapi.json") continue;
      const filled = path.replace(/\{(\w+)\}/g, (whole, name: string) => {
        const subject = name === "id" ? /\/api\/(\w+?)s?\//.exec(path)?.[1] : name;
        return samples[subject ?? ""] ?? whole;
      });
      const required = (operations.get!.parameters ?? []).filter((p) => p.in === "query" && p.required);
      const query = new URLSearchParams(required.map((p) => [p.name, samples[p.name] ?? ""]));
      if (filled.includes("{") || required.some((p) => !samples[p.name])) skipped.push(`/${app}${path}`);
      else
        targets.push({
          kind: `/${app}${path}`,
          api: true,
          urls: [`/${app}${filled}${required.length ? `?${query}` : ""}`],
        });
    }
  }
  return { targets, skipped };
}
