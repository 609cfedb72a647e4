import { access } from "@hivematrix/lib/access";

const STAFF = ["admin", "technician", "billing"] as const;
const EVERYONE = [...STAFF, "client"] as const;

/**
 * Who may call Codex's routes; every route names one. Service tokens pass every level check
 * except `self`'s (DESIGN.md). A client user reaches only its own company's data, everywhere.
 */
export const ACCESS = {
  /** Every level; a client sees only its own company's records through it. */
  readWithClientScope: access.callers("read", EVERYONE, { clientScoped: true }),
  /** Changes to companies, contacts, assets and tickets. */
  data: access.callers("data", ["admin", "technician"]),
  /** Plans, overrides, line items and bills. */
  billing: access.callers("billing", ["admin", "billing"]),
  /** Reads of what is not any company's: plans, agents, sync runs. */
  staff: access.callers("staff", STAFF),
  admin: access.callers("admin", ["admin"]),
  /** Opening a ticket: staff who work tickets, and a client for its own company only (a limited set of fields). */
  open: access.callers("open", ["admin", "technician", "client"], { clientScoped: true }),
  /** Replies and attachments on tickets: staff who work them, and a client on its own company's tickets. */
  reply: access.callers("reply", ["admin", "technician", "client"], { clientScoped: true }),
  /** Closing a ticket: staff who work tickets any, a client only the ones it opened. */
  close: access.callers("close", ["admin", "technician", "client"], { clientScoped: true }),
  /** A signed-in staff member about themself (their agent record); never a service. */
  self: access.people("self", STAFF),
};

/** The same rules for pages, which are for signed-in people only. */
export const PAGES = {
  read: access.people("read", STAFF),
  readWithClientScope: access.people("read", EVERYONE),
  data: access.people("data", ["admin", "technician"]),
  billing: access.people("billing", ["admin", "billing"]),
  staff: access.people("staff", STAFF),
  admin: access.people("admin", ["admin"]),
  open: access.people("open", ["admin", "technician", "client"]),
  reply: access.people("reply", ["admin", "technician", "client"]),
  close: access.people("close", ["admin", "technician", "client"]),
  self: access.people("self", STAFF),
};
