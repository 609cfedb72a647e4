import type { Server } from "bun";
import { FaultBook } from "./faults.ts";
import {
  inWorkspace,
  listTickets,
  ticketFinder,
  paged,
  primaryWorkspace,
  ticketView,
  type FakeTicket,
  type FakeWorkspace,
} from "./freshservice-lists.ts";
import { type RecordedWrite, ticketWrite } from "./freshservice-writes.ts";
import { RollingQuota } from "./quota.ts";

export type { FakeTicket, FakeWorkspace } from "./freshservice-lists.ts";
export type { RecordedWrite } from "./freshservice-writes.ts";

/**
 * A local Freshservice API v2 that behaves like the real one where Codex depends on it; each
 * behaviour names the part of https://api.freshservice.com/ it follows (see freshservice-lists.ts).
 * Basic auth with the API key as user name (#authentication); an account-wide quota with
 * X-RateLimit-Total / -Remaining / -Used-CurrentRequest on every answer and 429 + Retry-After
 * (seconds) beyond it (#rate_limit); workspaces (#workspaces) and department fields
 * (#list_all_department_fields, and list-department-fields in Freshworks' OpenAPI document).
 * Replies, notes and ticket updates are checked and recorded as freshservice-writes.ts describes.
 */
export interface FakeFreshserviceData {
  departments: Record<string, unknown>[];
  requesters: Record<string, unknown>[];
  agents: Record<string, unknown>[];
  tickets: FakeTicket[];
  workspaces: FakeWorkspace[];
  departmentFields: Record<string, unknown>[];
  /** The tenant's ticket status ids (2–5 built in; add custom ones). */
  ticketStatuses: number[];
}

export interface FakeFreshservice {
  url: string;
  apiKey: string;
  data: FakeFreshserviceData;
  /** The account's quota; tests shrink the window (and the limit) to pace a long sync quickly. */
  quota: RollingQuota;
  /** Answers refused with 429 so far. */
  rateLimited: number;
  faults: FaultBook;
  /** Every reply, note and ticket update asked for, with the status it was answered with. */
  writes: RecordedWrite[];
  stop(): Promise<void>;
}

/** Plenty, so tests that do not exercise pacing never meet the limit. */
const DEFAULT_LIMIT = 100_000;

export async function startFakeFreshservice(
  data: Partial<FakeFreshserviceData> = {},
  apiKey = "fs-test-key",
): Promise<FakeFreshservice> {
  const state: FakeFreshserviceData = {
    departments: [],
    requesters: [],
    agents: [],
    tickets: [],
    workspaces: [],
    departmentFields: [],
    ticketStatuses: [2, 3, 4, 5],
    ...data,
  };
  const expectedAuth = `Basic ${Buffer.from(`${apiKey}:X`).toString("base64")}`;
  const fake: FakeFreshservice = {
    url: "",
    apiKey,
    data: state,
    quota: new RollingQuota(DEFAULT_LIMIT, 60_000),
    rateLimited: 0,
    faults: new FaultBook(),
    writes: [],
    stop: async () => server.stop(true),
  };

  const findTicket = ticketFinder(() => state.tickets);
  let conversationIds = 80_000_000;
  const writeState = {
    tickets: findTicket,
    get agents() {
      return state.agents;
    },
    get requesters() {
      return state.requesters;
    },
    get statuses() {
      return state.ticketStatuses;
    },
    writes: fake.writes,
    nextConversationId: () => ++conversationIds,
  };
  // "Rate limits apply to all API calls, even if they fail" (#rate_limit); "each include will consume
  // an additional credit" (the include parameter of #view_a_ticket).
  const cost = (url: URL) => 1 + (url.searchParams.get("include")?.split(",").filter(Boolean).length ?? 0);

  const route = async (req: Request, url: URL): Promise<Response> => {
    if (req.headers.get("authorization") !== expectedAuth)
      return Response.json(
        { code: "access_denied", message: "You are not authorized to perform this action." },
        { status: 401 },
      );
    const path = url.pathname.replace(/^\/api\/v2/, "");
    const workspace = url.searchParams.get("workspace_id");
    const primary = primaryWorkspace(state.workspaces);
    if (path === "/workspaces") return paged(req, state.workspaces, "workspaces");
    if (path === "/department_fields") return paged(req, state.departmentFields, "department_fields");
    // Freshservice for MSPs: a department belongs to a client, which the API names workspace_id
    // (developers.freshworks.com, "Freshservice vs. Freshservice for MSPs").
    if (path === "/departments")
      return paged(
        req,
        state.departments.filter((d) => inWorkspace(d.workspace_id as number | undefined, workspace, primary)),
        "departments",
      );
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
    if (path === "/tickets") return listTickets(req, state.tickets, state.workspaces);
    const written = await ticketWrite(req, path, writeState);
    if (written) return written;
    let m = /^\/tickets\/(\d+)$/.exec(path);
    if (m) {
      const t = findTicket(Number(m[1]));
      if (!t) return Response.json({ code: "not_found", message: "Record not found" }, { status: 404 });
      return Response.json({ ticket: ticketView(t, (url.searchParams.get("include") ?? "").split(",")) });
    }
    m = /^\/tickets\/(\d+)\/(conversations|time_entries)$/.exec(path);
    if (m) {
      const t = findTicket(Number(m[1]));
      if (!t) return Response.json({ code: "not_found" }, { status: 404 });
      return paged(req, (m[2] === "conversations" ? t.conversations : t.time_entries) ?? [], m[2]!);
    }
    return Response.json({ code: "not_found", message: "Invalid URL" }, { status: 404 });
  };

  const server: Server<undefined> = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const injected = await fake.faults.take(req);
      if (injected) return injected;
      const url = new URL(req.url);
      const credits = cost(url);
      if (!fake.quota.take(credits)) {
        fake.rateLimited++;
        // 429 with Retry-After in seconds (#rate_limit); the message text is not documented.
        return Response.json(
          { message: "You have exceeded the limit of requests per minute" },
          { status: 429, headers: { "retry-after": String(fake.quota.secondsUntilFree()) } },
        );
      }
      const res = await route(req, url);
      res.headers.set("x-ratelimit-total", String(fake.quota.limit));
      res.headers.set("x-ratelimit-remaining", String(Math.max(0, fake.quota.limit - fake.quota.used())));
      res.headers.set("x-ratelimit-used-currentrequest", String(credits));
      return res;
    },
  });
  fake.url = `http://127.0.0.1:${server.port}`;
  return fake;
}
