import { z } from "zod";
import {
  IntegrationError,
  nextLink,
  requestJson,
  retryPolicy,
  type ProviderMonitor,
  type RequestOptions,
  type RetryPolicy,
} from "../http.ts";
import { Pacer } from "../pacing.ts";
import {
  agentSchema,
  conversationSchema,
  departmentFieldSchema,
  departmentSchema,
  requesterSchema,
  ticketSchema,
  timeEntrySchema,
  workspaceSchema,
  type FsAgent,
  type FsConversation,
  type FsDepartment,
  type FsNoteRequest,
  type FsReplyRequest,
  type FsTicketChanges,
  type FsDepartmentField,
  type FsRequester,
  type FsTicket,
  type FsTimeEntry,
  type FsWorkspace,
} from "./types.ts";

/**
 * Freshservice API v2 (https://api.freshservice.com/): Basic auth with the API key as user name,
 * lists paged with page/per_page (up to 100) and a Link header, the account's per-minute quota
 * paced on the X-RateLimit-* headers every answer carries.
 */
export interface FreshserviceOptions {
  /** `acme.freshservice.com`, or a full base URL (https, or http on loopback for local fakes). */
  domain: string;
  apiKey: string;
  policy?: Partial<RetryPolicy>;
  /** Page size for the list endpoints (Freshservice allows up to 100). */
  perPage?: number;
  /** Safety stop for runaway pagination. */
  maxPages?: number;
  /** The quota's window: a minute at Freshservice; tests shrink it. */
  rateWindowMs?: number;
  monitor?: ProviderMonitor;
}

/** What an admin typed, as the API base URL; anything but a Freshservice host or a loopback fake is refused. */
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

/** The live tickets, or Freshservice's spam or trash (the predefined filters of GET /tickets). */
export type TicketList = "live" | "spam" | "deleted";

export class FreshserviceClient {
  readonly baseUrl: string;
  private readonly auth: string;
  private readonly policy: RetryPolicy;
  private readonly perPage: number;
  private readonly maxPages: number;
  private readonly pacer: Pacer;
  private readonly monitor?: ProviderMonitor;

  constructor(options: FreshserviceOptions) {
    this.baseUrl = freshserviceBaseUrl(options.domain);
    if (!options.apiKey) throw new Error("the Freshservice API key is empty");
    // Freshservice's API key is the Basic user name; the password is ignored ("X" by convention).
    this.auth = `Basic ${Buffer.from(`${options.apiKey}:X`).toString("base64")}`;
    this.policy = retryPolicy(options.policy);
    this.perPage = options.perPage ?? 100;
    this.maxPages = options.maxPages ?? 10_000;
    this.monitor = options.monitor;
    // 100 a minute is the smallest plan's quota; the first answer's X-RateLimit-Total replaces it.
    this.pacer = new Pacer({ limit: 100, windowMs: options.rateWindowMs ?? 60_000, slowDownAt: 0.9 });
  }

  private send(url: string, init: RequestInit = {}, options: RequestOptions = {}) {
    const headers = { authorization: this.auth, accept: "application/json", ...(init.headers as object) };
    return requestJson("freshservice", url, { ...init, headers }, this.policy, {
      ...options,
      pacer: this.pacer,
      monitor: this.monitor,
    });
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
   * Every item of a paged list, following the Link header's rel="next" until there is none, and
   * only on this Freshservice host: the API key goes with every request. Throws if any page
   * fails, so callers never mistake a partial list for the whole.
   */
  private async listAll<T>(path: string, key: string, item: z.ZodType<T>): Promise<T[]> {
    const sep = path.includes("?") ? "&" : "?";
    let url: string | null = `${this.baseUrl}${path}${sep}page=1&per_page=${this.perPage}`;
    const origin = new URL(this.baseUrl).origin;
    const out: T[] = [];
    for (let page = 1; url; page++) {
      if (page > this.maxPages)
        throw new IntegrationError(
          "freshservice",
          "incomplete",
          `freshservice: ${path} has more than ${this.maxPages} pages; stopped`,
        );
      const res = await this.send(url);
      const body = this.parse(z.object({ [key]: z.array(item) }), res.body, `${path} page ${page}`);
      out.push(...(body[key] as T[]));
      this.monitor?.page("freshservice");
      url = nextLink(res.headers.get("link"));
      const elsewhere = url ? new URL(url, this.baseUrl).origin : origin;
      if (elsewhere !== origin)
        throw new IntegrationError(
          "freshservice",
          "bad_response",
          `freshservice: the next page of ${path} is on another host (${elsewhere}); not followed`,
        );
      if (url) url = new URL(url, this.baseUrl).toString();
    }
    return out;
  }

  /**
   * A cheap authenticated call that proves the domain and key, then what an admin needs to fill
   * in the settings: the tenant's department fields and its workspaces (clients), if it has any.
   */
  async testConnection(): Promise<{
    ok: true;
    detail: string;
    departmentFields: FsDepartmentField[];
    workspaces: FsWorkspace[];
  }> {
    const res = await this.send(`${this.baseUrl}/agents?per_page=1&page=1`);
    const body = this.parse(z.object({ agents: z.array(agentSchema) }), res.body, "agents response");
    const host = new URL(this.baseUrl).host;
    const workspaces = await this.workspaces().catch((e) => {
      // Accounts without workspaces have no such list to show.
      if (e instanceof IntegrationError && (e.kind === "not_found" || e.kind === "bad_request")) return [];
      throw e;
    });
    return {
      ok: true,
      detail: `connected to ${host}${body.agents.length ? "" : " (no agents visible)"}`,
      departmentFields: await this.departmentFields(),
      workspaces,
    };
  }

  /** Sets custom fields of a department (e.g. the account number Codex assigned). */
  async updateDepartmentFields(id: number, customFields: Record<string, string>): Promise<FsDepartment> {
    const res = await this.send(`${this.baseUrl}/departments/${id}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ custom_fields: customFields }),
    });
    return this.parse(z.object({ department: departmentSchema }), res.body, `department ${id}`).department;
  }

  /** Without a workspace, Freshservice answers for the primary workspace only. */
  departments(workspaceId: number | null = null): Promise<FsDepartment[]> {
    const scope = workspaceId === null ? "" : `?workspace_id=${workspaceId}`;
    return this.listAll(`/departments${scope}`, "departments", departmentSchema);
  }

  departmentFields(): Promise<FsDepartmentField[]> {
    return this.listAll("/department_fields", "department_fields", departmentFieldSchema);
  }

  workspaces(): Promise<FsWorkspace[]> {
    return this.listAll("/workspaces", "workspaces", workspaceSchema);
  }

  requesters(): Promise<FsRequester[]> {
    return this.listAll("/requesters", "requesters", requesterSchema);
  }

  agents(): Promise<FsAgent[]> {
    return this.listAll("/agents", "agents", agentSchema);
  }

  /**
   * Every ticket of one workspace (null: the primary one) updated at or after `since`, through
   * GET /tickets?updated_since= (https://api.freshservice.com/#view_all_ticket), oldest first so
   * tickets created while the pages are read land on later pages instead of shifting earlier ones.
   * Spam and trash are separate lists; an answer that ignores updated_since there is cut to it here.
   */
  async ticketsUpdatedSince(
    since: Date,
    workspaceId: number | null = null,
    list: TicketList = "live",
  ): Promise<FsTicket[]> {
    const query = [
      `updated_since=${encodeURIComponent(since.toISOString())}`,
      "order_type=asc",
      ...(workspaceId === null ? [] : [`workspace_id=${workspaceId}`]),
      ...(list === "live" ? [] : [`filter=${list}`]),
    ];
    const tickets = await this.listAll(`/tickets?${query.join("&")}`, "tickets", ticketSchema);
    return tickets.filter((t) => !t.updated_at || Date.parse(t.updated_at) >= since.getTime());
  }

  /**
   * One ticket with its stats and every conversation. `include=conversations` embeds only the
   * first ten, so longer threads are read in full from the conversations endpoint.
   * Returns null when the ticket no longer exists.
   */
  async ticket(id: number): Promise<FsTicket | null> {
    const res = await this.send(`${this.baseUrl}/tickets/${id}?include=conversations,stats`, {}, { allow404: true });
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

  private async write(method: "POST" | "PUT", path: string, body: object) {
    const res = await this.send(`${this.baseUrl}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return res.body;
  }

  /** A public reply, e-mailed to the requester (#create_a_reply); `body` is HTML. */
  async reply(ticketId: number, reply: FsReplyRequest): Promise<FsConversation> {
    const answer = await this.write("POST", `/tickets/${ticketId}/reply`, reply);
    return this.parse(z.object({ conversation: conversationSchema }), answer, `reply on ${ticketId}`).conversation;
  }

  /** A note (#create_a_note): private unless `private: false`; `incoming` marks one from the requester's side. */
  async note(ticketId: number, note: FsNoteRequest): Promise<FsConversation> {
    const answer = await this.write("POST", `/tickets/${ticketId}/notes`, note);
    return this.parse(z.object({ conversation: conversationSchema }), answer, `note on ${ticketId}`).conversation;
  }

  /** Changes a ticket's status, priority or agent (#update_ticket); ids as the tenant numbers them. */
  async updateTicket(ticketId: number, changes: FsTicketChanges): Promise<FsTicket> {
    const answer = await this.write("PUT", `/tickets/${ticketId}`, changes);
    return this.parse(z.object({ ticket: ticketSchema }), answer, `ticket ${ticketId}`).ticket;
  }
}
