import { z } from "zod";
import { errorSchema, jsonRequest, jsonResponse } from "@hivematrix/lib/openapi";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { decide } from "./data.ts";

export const decisionInput = z
  .object({
    decision: z.enum(["approve", "deny"]),
    input_hash: z.string().regex(/^[0-9a-f]{64}$/, "the input_hash shown with the approval"),
  })
  .strict();

const decideRoute = apiRoute({
  method: "post",
  path: "/api/approvals/{id}/decision",
  access: ACCESS.people,
  tags: ["Approvals"],
  summary: "Approve or deny a pending change: only its own person, with the page's CSRF token (X-CSRF-Token)",
  request: {
    params: z.object({ id: z.uuid() }),
    headers: z.object({ "x-csrf-token": z.string().max(200).optional() }),
    body: jsonRequest(decisionInput),
  },
  responses: {
    200: jsonResponse(
      "Decided; the assistant goes on",
      z.object({ id: z.string(), decision: z.enum(["approved", "denied"]) }),
    ),
    409: jsonResponse("Already decided, expired, or not the request that was shown", errorSchema),
  },
});

/** Records a person's decision and wakes the turn waiting for it. */
export async function recordDecision(
  deps: Deps,
  decision: { id: string; userSub: string; username: string; approve: boolean; inputHash: string },
) {
  const row = await decide(deps.db, decision);
  deps.signals.notify(row.id);
  deps.logger.info("approval decided", {
    tool_call: row.id,
    tool: row.tool,
    decision: row.decision,
    by: decision.username,
  });
  return row;
}

export function approvalsApi(table: RouteTable, deps: Deps) {
  table.api(decideRoute, async (c) => {
    // A JSON request too must carry the page's token: an approval is the one thing a forged request must never do.
    deps.csrf.verify(c, c.req.header("x-csrf-token"));
    const user = c.get("user")!;
    const body = c.req.valid("json");
    const row = await recordDecision(deps, {
      id: c.req.valid("param").id,
      userSub: user.sub,
      username: user.preferred_username,
      approve: body.decision === "approve",
      inputHash: body.input_hash,
    });
    return c.json({ id: row.id, decision: row.decision as "approved" | "denied" }, 200);
  });
}
