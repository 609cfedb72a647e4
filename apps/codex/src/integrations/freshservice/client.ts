import { z } from "zod";
import { IntegrationError, nextLink, requestJson, retryPolicy, type RetryPolicy } from "../http.ts";
import {
  agentSchema,
  conversationSchema,
  departmentSchema,
  requesterSchema,
  ticketSchema,
  timeEntrySchema,
  type FsAgent,
  type FsConversation,
  type FsDepartment,
  type FsRequester,
  type FsTicket,
  type FsTimeEntry,
} from "./types.ts";

export interface FreshserviceOptions {
  /** `acme.freshservice.com`, or a full base URL (https, or http on loopback for local fakes). */
  domain: string;
  apiKey: string;
  policy?: Partial<RetryPolicy>;
  /** Page size for the list endpoints (Freshservice allows up to 100). */
  perPage?: number;
  /**
   * /tickets/filter returns 30 tickets a page and refuses pages beyond the 10th, so one query
   * reaches at most 300 tickets; larger date windows are split until each one fits.
   */
  filterPageSize?: number;
  filterMaxPages?: number;
  /** Appended as `workspace_id:N` to ticket queries (accounts with workspaces). */
  workspaceId?: number | null;
  /** Safety stop for runaway pagination on list endpoints. */
  maxPages?: number;
}

/** Turns what an admin typed into the API base URL, refusing anything that is not a Freshservice host or a loopback fake. */
export function freshserviceBaseUrl(domain: string): string {
  const raw = domain.trim().replace(/\/+$/, "");
  if (/^https?:\/\//i.test(raw)) {
    const u = new URL(raw);
    const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname);
    if (u.protocol !== "https:" && !loopback) throw new Error("Freshservice must be reached over https");
    return `${u.origin}${u.pathname.replace(/\/+$/, "")}${u.pathname.endsWith("/api/v2") ? "" : "/api/v2"}`;
  }
  if (!/^[a-z0-9][a-z0-9.-]*\.[a-z]{2,}$/i.test(raw))
    throw new Error(`"${domain}" is not a host name like acme.freshservice.com`);
  return `https://${raw}/api/v2`;
}

const filterPageSchema = z.object({ tickets: z.array(ticketSchema), total: z.number().int().nonnegative().optional() });

/** A day as Freshservice's query syntax wants it: 'YYYY-MM-DD' (UTC). */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

const DAY_MS = 86_400_000;

export class FreshserviceClient {
  readonly baseUrl: string;
  private readonly auth: string;
  private readonly policy: RetryPolicy;
  private readonly perPage: number;
  private readonly filterPageSize: number;
  private readonly filterMaxPages: number;
  private readonly workspaceId: number | null;
  private readonly maxPages: number;

  constructor(options: FreshserviceOptions) {
    this.baseUrl = freshserviceBaseUrl(options.domain);
    if (!options.apiKey) throw new Error("the Freshservice API key is empty");
    // Freshservice's API key is the Basic user name; the password is ignored ("X" by convention).
    this.auth = `Basic ${Buffer.from(`${options.apiKey}:X`).toString("base64")}`;
    this.policy = retryPolicy(options.policy);
    this.perPage = options.perPage ?? 100;
    this.filterPageSize = options.filterPageSize ?? 30;
    this.filterMaxPages = options.filterMaxPages ?? 10;
    this.workspaceId = options.workspaceId ?? null;
    this.maxPages = options.maxPages ?? 10_000;
  }

  private async get(pathOrUrl: string, options: { allow404?: boolean } = {}) {
    const url = pathOrUrl.startsWith("http") ? pathOrUrl : `${this.baseUrl}${pathOrUrl}`;
    return requestJson(
      "freshservice",
      url,
      { headers: { authorization: this.auth, accept: "application/json" } },
      this.policy,
      options,
    );
  }

  private parse<S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> {
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new IntegrationError(
        "freshservice",
        "bad_response",
        `freshservice: unexpected ${what} (${issue?.path.join(".") || "body"}: ${issue?.message})`,
      );
    }
    return parsed.data;
  }

  /**
   * Every item of a paged list, following the Link header's rel="next" until there is none.
   * Throws if any page fails, so callers never mistake a partial list for the whole.
   */
  private async listAll<T>(path: string, key: string, item: z.ZodType<T>): Promise<T[]> {
    const sep = path.includes("?") ? "&" : "?";
    let url: string | null = `${this.baseUrl}${path}${sep}page=1&per_page=${this.perPage}`;
    const out: T[] = [];
    for (let page = 1; url; page++) {
      if (page > this.maxPages)
        throw new IntegrationError(
          "freshservice",
          "incomplete",
          `freshservice: ${path} has more than ${this.maxPages} pages; stopped`,
        );
      const res = await this.get(url);
      const body = this.parse(z.object({ [key]: z.array(item) }), res.body, `${path} page ${page}`) as Record<
        string,
        T[]
      >;
      out.push(...body[key]!);
      url = nextLink(res.headers.get("link"));
    }
    return out;
  }

  /** A cheap authenticated call: proves the domain and key work. */
  async testConnection(): Promise<{ ok: true; detail: string }> {
    const res = await this.get("/agents?per_page=1&page=1");
    const body = this.parse(z.object({ agents: z.array(agentSchema) }), res.body, "agents response");
    return {
      ok: true,
      detail: `connected to ${new URL(this.baseUrl).host}${body.agents.length ? "" : " (no agents visible)"}`,
    };
  }

  /** Sets custom fields of a department (e.g. the account number Codex assigned). */
  async updateDepartmentFields(id: number, customFields: Record<string, string>): Promise<FsDepartment> {
    const res = await requestJson(
      "freshservice",
      `${this.baseUrl}/departments/${id}`,
      {
        method: "PUT",
        headers: { authorization: this.auth, accept: "application/json", "content-type": "application/json" },
        body: JSON.stringify({ custom_fields: customFields }),
      },
      this.policy,
    );
    return this.parse(z.object({ department: departmentSchema }), res.body, `department ${id}`).department;
  }

  departments(): Promise<FsDepartment[]> {
    return this.listAll("/departments", "departments", departmentSchema);
  }

  requesters(): Promise<FsRequester[]> {
    return this.listAll("/requesters", "requesters", requesterSchema);
  }

  agents(): Promise<FsAgent[]> {
    return this.listAll("/agents", "agents", agentSchema);
  }

  /** One page of /tickets/filter. `query` is the bare expression; quoting and encoding happen here. */
  async filterPage(query: string, page: number): Promise<{ tickets: FsTicket[]; total: number | null }> {
    const full = this.workspaceId !== null ? `(${query}) AND workspace_id:${this.workspaceId}` : query;
    if (full.length > 512)
      throw new IntegrationError(
        "freshservice",
        "bad_request",
        "freshservice: a ticket query is longer than the 512 characters the API accepts",
      );
    const res = await this.get(`/tickets/filter?query=${encodeURIComponent(`"${full}"`)}&page=${page}`);
    const body = this.parse(filterPageSchema, res.body, "tickets/filter response");
    return { tickets: body.tickets, total: body.total ?? null };
  }

  /** Every ticket one query matches, provided it fits within the filter endpoint's page cap. */
  private async filterAll(
    query: string,
  ): Promise<{ tickets: FsTicket[]; overflow: false } | { overflow: true; total: number }> {
    const first = await this.filterPage(query, 1);
    const reachable = this.filterPageSize * this.filterMaxPages;
    if (first.total !== null && first.total > reachable) return { overflow: true, total: first.total };
    const tickets = [...first.tickets];
    // Without a total, read until a short page; a full last allowed page means there may be more.
    const pages = first.total !== null ? Math.ceil(first.total / this.filterPageSize) : this.filterMaxPages;
    let last = first.tickets.length;
    for (let page = 2; page <= pages && last >= this.filterPageSize; page++) {
      const next = await this.filterPage(query, page);
      tickets.push(...next.tickets);
      last = next.tickets.length;
    }
    if (first.total === null && tickets.length >= reachable && last >= this.filterPageSize)
      return { overflow: true, total: tickets.length };
    if (first.total !== null && tickets.length < first.total) {
      throw new IntegrationError(
        "freshservice",
        "incomplete",
        `freshservice: query ${query} reported ${first.total} tickets but returned ${tickets.length}`,
      );
    }
    return { tickets, overflow: false };
  }

  /**
   * Every ticket whose `field` date falls in [from, to] (whole UTC days), splitting the window in
   * halves until each part fits under the filter endpoint's cap. A single day that still does
   * not fit is an `incomplete` error (or goes to `onOverflowDay`): the fetch is then partial.
   */
  async ticketsInWindow(
    field: "created_at" | "updated_at",
    from: Date,
    to: Date,
    onWindow?: (from: string, to: string, count: number) => void,
    /** When given, a day that does not fit is reported here and skipped instead of failing the listing. */
    onOverflowDay?: (day: string, total: number) => void,
  ): Promise<FsTicket[]> {
    const start = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
    const end = Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate());
    const seen = new Map<number, FsTicket>();
    const walk = async (a: number, b: number): Promise<void> => {
      const q = `${field}:>'${isoDay(new Date(a))}' AND ${field}:<'${isoDay(new Date(b))}'`;
      const result = await this.filterAll(q);
      if (result.overflow) {
        if (a >= b) {
          if (onOverflowDay) return onOverflowDay(isoDay(new Date(a)), result.total);
          throw new IntegrationError(
            "freshservice",
            "incomplete",
            `freshservice: ${result.total} tickets have ${field} on ${isoDay(new Date(a))}, more than the ${this.filterPageSize * this.filterMaxPages} one query can return`,
          );
        }
        const mid = a + Math.floor((b - a) / DAY_MS / 2) * DAY_MS;
        await walk(a, mid);
        await walk(mid + DAY_MS, b);
        return;
      }
      onWindow?.(isoDay(new Date(a)), isoDay(new Date(b)), result.tickets.length);
      for (const t of result.tickets) seen.set(t.id, t);
    };
    if (start > end) return [];
    await walk(start, end);
    return [...seen.values()];
  }

  /**
   * One ticket with its stats and every conversation. `include=conversations` embeds only the
   * first ten, so longer threads are read in full from the conversations endpoint.
   * Returns null when the ticket no longer exists.
   */
  async ticket(id: number): Promise<FsTicket | null> {
    const res = await this.get(`/tickets/${id}?include=conversations,stats`, { allow404: true });
    if (res.status === 404) return null;
    const { ticket } = this.parse(z.object({ ticket: ticketSchema }), res.body, `ticket ${id}`);
    if ((ticket.conversations?.length ?? 0) >= 10) ticket.conversations = await this.conversations(id);
    return ticket;
  }

  conversations(ticketId: number): Promise<FsConversation[]> {
    return this.listAll(`/tickets/${ticketId}/conversations`, "conversations", conversationSchema);
  }

  timeEntries(ticketId: number): Promise<FsTimeEntry[]> {
    return this.listAll(`/tickets/${ticketId}/time_entries`, "time_entries", timeEntrySchema);
  }
}
