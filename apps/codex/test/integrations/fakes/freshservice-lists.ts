/**
 * The fake Freshservice's list and ticket answers, each following the documentation it names:
 * API v2 reference https://api.freshservice.com/ (sections named after the #) and Freshworks'
 * OpenAPI document (github.com/freshworks/freshworks-api-sdk, codegen/freshservice/
 * freshservice-v2.0.1.swagger.yml, operation list-tickets).
 */

export interface FakeTicket {
  id: number;
  subject: string;
  description_text?: string;
  /** 2–5 built in, or a tenant's custom status id (#ticket_attributes). */
  status: number;
  priority: number;
  requester_id?: number | null;
  /** Service requests raised for someone else (#ticket_attributes). */
  requested_for_id?: number | null;
  responder_id?: number | null;
  group_id?: number | null;
  department_id?: number | null;
  /** Absent: the primary workspace. */
  workspace_id?: number;
  /** Booleans, not statuses: a trashed or spam ticket keeps its status (#ticket_attributes). */
  spam?: boolean;
  deleted?: boolean;
  created_at: string;
  updated_at: string;
  due_by?: string | null;
  fr_due_by?: string | null;
  conversations?: Record<string, unknown>[];
  time_entries?: Record<string, unknown>[];
  stats?: Record<string, unknown>;
}

export interface FakeWorkspace {
  id: number;
  name: string;
  primary?: boolean;
  state?: string;
}

const DAY_MS = 86_400_000;

function validationFailed(field: string, message: string): Response {
  return Response.json(
    { description: "Validation failed", errors: [{ field, message, code: "invalid_value" }] },
    { status: 400 },
  );
}

/**
 * page/per_page paging: 30 a page by default, at most 100, the next page announced in an RFC 8288
 * Link header on the same host (#pagination).
 */
export function paged(req: Request, items: unknown[], key: string, headers: Record<string, string> = {}): Response {
  const url = new URL(req.url);
  const page = Math.max(1, Number(url.searchParams.get("page") ?? 1));
  const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get("per_page") ?? 30)));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  if (page * perPage < items.length) {
    const next = new URL(url);
    next.searchParams.set("page", String(page + 1));
    headers.link = `<${next.toString()}>; rel="next"`;
  }
  return Response.json({ [key]: slice }, { headers });
}

/**
 * Finds tickets by id without scanning them all (the load test reads 20,000 twice each). The
 * index holds positions and every hit is checked against the array, which tests edit in place;
 * a stale or missing entry rebuilds it.
 */
export function ticketFinder(tickets: () => FakeTicket[]): (id: number) => FakeTicket | undefined {
  let position = new Map<number, number>();
  const rebuild = () => {
    position = new Map(tickets().map((t, i) => [t.id, i]));
  };
  const look = (id: number) => {
    const at = position.get(id);
    const hit = at === undefined ? undefined : tickets()[at];
    return hit?.id === id ? hit : undefined;
  };
  return (id) => {
    const hit = look(id);
    if (hit) return hit;
    rebuild();
    return look(id);
  };
}

/** The primary workspace: the first created one unless one is flagged (support article 50000006123). */
export function primaryWorkspace(workspaces: FakeWorkspace[]): number | null {
  return (workspaces.find((w) => w.primary) ?? workspaces[0])?.id ?? null;
}

/**
 * Without workspace_id an account with workspaces answers for the primary one only; 0 means
 * every workspace ("How do Freshservice APIs work in a multiple workspace setup", support
 * article 50000006123; workspace_id parameter of #view_all_ticket).
 */
export function inWorkspace(itemWorkspace: number | undefined, asked: string | null, primary: number | null): boolean {
  const own = itemWorkspace ?? primary;
  if (asked === null) return own === primary;
  return Number(asked) === 0 || own === Number(asked);
}

/**
 * GET /tickets (#view_all_ticket): newest first unless order_type=asc; only tickets created in the
 * last 30 days unless updated_since is given; spam and deleted tickets only through
 * filter=spam / filter=deleted (the predefined filters of list-tickets in the OpenAPI document).
 */
export function listTickets(req: Request, tickets: FakeTicket[], workspaces: FakeWorkspace[]): Response {
  const url = new URL(req.url);
  const since = url.searchParams.get("updated_since");
  if (since !== null && Number.isNaN(Date.parse(since)))
    return validationFailed("updated_since", "It should be in the 'valid date time' format");
  const filter = url.searchParams.get("filter");
  if (filter !== null && !["new_and_my_open", "watching", "spam", "deleted"].includes(filter))
    return validationFailed("filter", "It should be one of these values: 'new_and_my_open,watching,spam,deleted'");
  // Those two depend on the agent behind the key; Codex never asks for them, so the fake cannot answer.
  if (filter === "new_and_my_open" || filter === "watching") throw new Error(`the fake has no filter=${filter}`);
  const primary = primaryWorkspace(workspaces);
  const createdAfter = Date.now() - 30 * DAY_MS;
  const matching = tickets.filter((t) => {
    if (!inWorkspace(t.workspace_id, url.searchParams.get("workspace_id"), primary)) return false;
    // The documentation does not say whether updated_since narrows spam and trash: the fake does
    // not, the wider reading, so the client must cut those lists to its window itself.
    if (filter === "spam") return !!t.spam && !t.deleted;
    if (filter === "deleted") return !!t.deleted;
    if (t.spam || t.deleted) return false;
    return since === null ? Date.parse(t.created_at) >= createdAfter : Date.parse(t.updated_at) >= Date.parse(since);
  });
  const asc = url.searchParams.get("order_type") === "asc";
  matching.sort((a, b) => (Date.parse(a.created_at) - Date.parse(b.created_at)) * (asc ? 1 : -1) || a.id - b.id);
  return paged(
    req,
    matching.map((t) => ticketView(t, [])),
    "tickets",
  );
}

/** A ticket as #view_a_ticket answers it: spam and deleted always present, embeds only when asked. */
export function ticketView(t: FakeTicket, include: string[]): Record<string, unknown> {
  const { conversations, time_entries, stats, ...rest } = t;
  return {
    spam: false,
    deleted: false,
    requested_for_id: t.requester_id ?? null,
    ...rest,
    // include=conversations embeds at most ten; longer threads come from the conversations endpoint.
    ...(include.includes("conversations") ? { conversations: (conversations ?? []).slice(0, 10) } : {}),
    ...(include.includes("stats") ? { stats: stats ?? {} } : {}),
  };
}
