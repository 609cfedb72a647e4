import type { Server } from "bun";
import { FaultBook } from "./faults.ts";

/**
 * A local Freshservice API v2 that behaves like the real one where Codex depends on it:
 * Basic auth with the API key, page/per_page (max 100) with a Link header, /tickets/filter with
 * its quoted query syntax, 30 tickets a page, a `total`, and no page beyond the 10th,
 * `include=conversations,stats` embedding at most ten conversations.
 */
export interface FakeTicket {
  id: number;
  subject: string;
  description_text?: string;
  status: number;
  priority: number;
  requester_id?: number | null;
  responder_id?: number | null;
  group_id?: number | null;
  department_id?: number | null;
  created_at: string;
  updated_at: string;
  due_by?: string | null;
  fr_due_by?: string | null;
  conversations?: Record<string, unknown>[];
  time_entries?: Record<string, unknown>[];
  stats?: Record<string, unknown>;
}

export interface FakeFreshserviceData {
  departments: Record<string, unknown>[];
  requesters: Record<string, unknown>[];
  agents: Record<string, unknown>[];
  tickets: FakeTicket[];
}

export interface FakeFreshservice {
  url: string;
  apiKey: string;
  data: FakeFreshserviceData;
  /** Older accounts' filter answers carry no `total`. */
  options: { omitFilterTotal: boolean };
  faults: FaultBook;
  stop(): Promise<void>;
}

const FILTER_PAGE = 30;
const FILTER_MAX_PAGES = 10;

function paged(req: Request, items: unknown[], key: string): Response {
  const url = new URL(req.url);
  const page = Math.max(1, Number(url.searchParams.get("page") ?? 1));
  const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get("per_page") ?? 30)));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const headers: Record<string, string> = {};
  if (page * perPage < items.length) {
    const next = new URL(url);
    next.searchParams.set("page", String(page + 1));
    headers.link = `<${next.toString()}>; rel="next"`;
  }
  return Response.json({ [key]: slice }, { headers });
}

/** Evaluates the subset of the filter syntax Codex sends: AND-ed `field:>'day'`, `field:<'day'`, `field:N`. */
function matches(ticket: FakeTicket, query: string): boolean {
  const clauses = query.replace(/[()]/g, "").split(/\s+AND\s+/);
  return clauses.every((clause) => {
    const m = /^(\w+)\s*:\s*([<>]?)\s*'?([^']*)'?$/.exec(clause.trim());
    if (!m) throw new Error(`unsupported clause ${clause}`);
    const [, field, op, value] = m;
    if (field === "workspace_id") return true;
    const actual = (ticket as unknown as Record<string, unknown>)[field!];
    if (field === "created_at" || field === "updated_at") {
      const day = String(actual).slice(0, 10);
      return op === ">" ? day >= value! : op === "<" ? day <= value! : day === value;
    }
    const n = Number(actual);
    return op === ">" ? n >= Number(value) : op === "<" ? n <= Number(value) : n === Number(value);
  });
}

export async function startFakeFreshservice(
  data: Partial<FakeFreshserviceData> = {},
  apiKey = "fs-test-key",
): Promise<FakeFreshservice> {
  const state: FakeFreshserviceData = { departments: [], requesters: [], agents: [], tickets: [], ...data };
  const faults = new FaultBook();
  const options = { omitFilterTotal: false };
  const expectedAuth = `Basic ${Buffer.from(`${apiKey}:X`).toString("base64")}`;

  const server: Server<undefined> = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const injected = await faults.take(req);
      if (injected) return injected;
      if (req.headers.get("authorization") !== expectedAuth) {
        return Response.json(
          { code: "access_denied", message: "You are not authorized to perform this action." },
          { status: 401 },
        );
      }
      const url = new URL(req.url);
      const path = url.pathname.replace(/^\/api\/v2/, "");
      if (path === "/departments") return paged(req, state.departments, "departments");
      const dept = /^\/departments\/(\d+)$/.exec(path);
      if (dept && req.method === "PUT") {
        const d = state.departments.find((x) => x.id === Number(dept[1]));
        if (!d) return Response.json({ code: "not_found" }, { status: 404 });
        const body = (await req.json()) as { custom_fields?: Record<string, unknown> };
        d.custom_fields = { ...(d.custom_fields as Record<string, unknown>), ...body.custom_fields };
        return Response.json({ department: d });
      }
      if (path === "/requesters") return paged(req, state.requesters, "requesters");
      if (path === "/agents") return paged(req, state.agents, "agents");
      if (path === "/tickets/filter") {
        const raw = url.searchParams.get("query") ?? "";
        if (!/^".*"$/.test(raw))
          return Response.json(
            { description: "Validation failed", errors: [{ field: "query", message: "must be quoted" }] },
            { status: 400 },
          );
        const page = Number(url.searchParams.get("page") ?? 1);
        if (page > FILTER_MAX_PAGES) {
          return Response.json(
            {
              description: "Validation failed",
              errors: [
                {
                  field: "page",
                  message: `It should be a Positive Number less than or equal to ${FILTER_MAX_PAGES}`,
                  code: "invalid_value",
                },
              ],
            },
            { status: 400 },
          );
        }
        const all = state.tickets.filter((t) => matches(t, raw.slice(1, -1)));
        const slice = all
          .slice((page - 1) * FILTER_PAGE, page * FILTER_PAGE)
          .map(({ conversations, time_entries, stats, ...t }) => t);
        return Response.json(options.omitFilterTotal ? { tickets: slice } : { tickets: slice, total: all.length });
      }
      let m = /^\/tickets\/(\d+)$/.exec(path);
      if (m) {
        const t = state.tickets.find((x) => x.id === Number(m![1]));
        if (!t) return Response.json({ code: "not_found", message: "Record not found" }, { status: 404 });
        const include = (url.searchParams.get("include") ?? "").split(",");
        const { conversations, time_entries, stats, ...rest } = t;
        return Response.json({
          ticket: {
            ...rest,
            ...(include.includes("conversations") ? { conversations: (conversations ?? []).slice(0, 10) } : {}),
            ...(include.includes("stats") ? { stats: stats ?? {} } : {}),
          },
        });
      }
      m = /^\/tickets\/(\d+)\/(conversations|time_entries)$/.exec(path);
      if (m) {
        const t = state.tickets.find((x) => x.id === Number(m![1]));
        if (!t) return Response.json({ code: "not_found" }, { status: 404 });
        return paged(req, (m[2] === "conversations" ? t.conversations : t.time_entries) ?? [], m[2]!);
      }
      return Response.json({ code: "not_found", message: "Invalid URL" }, { status: 404 });
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    apiKey,
    data: state,
    options,
    faults,
    stop: () => server.stop(true),
  };
}
