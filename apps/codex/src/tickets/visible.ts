import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import type { Ticket } from "../db/schema.ts";
import type { Deps } from "../deps.ts";
import { assertVisible } from "../shared/client-scope.ts";
import { requireTicket } from "./data.ts";
import { ticketParams } from "./json.ts";

/** The ticket of the path, if the caller may see it (a client: its own company's); 404 otherwise. */
export async function visibleTicket(c: Context<AppEnv>, deps: Pick<Deps, "db">, id: number): Promise<Ticket> {
  const ticket = await requireTicket(deps.db, id);
  await assertVisible(c, deps, ticket.companyId, "ticket");
  return ticket;
}

/**
 * A client learns nothing of another company's ticket: 404 before the request's body (a reply,
 * a file) is looked at.
 */
export function visibleTicketFirst(deps: Pick<Deps, "db">): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const id = ticketParams.shape.id.safeParse(c.req.param("id"));
    if (id.success) await visibleTicket(c, deps, id.data);
    await next();
  };
}
