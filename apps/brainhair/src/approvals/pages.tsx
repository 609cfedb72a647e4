import { HttpError } from "@hivematrix/lib/errors";
import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { formBody } from "@hivematrix/lib/validate";
import { z } from "zod";
import { ACCESS } from "../access.ts";
import { ownChat } from "../chat/data.ts";
import type { Deps } from "../deps.ts";
import { settled } from "../turns/settle.ts";
import { decisionInput, recordDecision } from "./api.ts";
import { toolCall } from "./data.ts";

const ids = z.object({ id: z.uuid(), approval: z.uuid() });

/** The approval card's form (no JavaScript): the route table checks its CSRF token; then as the API. */
export function approvalPages(table: RouteTable, deps: Deps) {
  table.page(
    pageRoute({ method: "post", path: "/chats/{id}/approvals/{approval}", access: ACCESS.people }),
    async (c) => {
      const params = ids.safeParse(c.req.param());
      if (!params.success) throw new HttpError(404, "not_found", "There is no such approval of yours.");
      const user = c.get("user")!;
      const chat = await ownChat(deps.db, params.data.id, user.sub);
      const form = await formBody(c, decisionInput);
      if (!form.ok) throw new HttpError(422, "validation_failed", "Approve or Deny, with the approval's input_hash.");
      const pending = await toolCall(deps.db, params.data.approval);
      if (!pending || pending.chatId !== chat.id)
        throw new HttpError(404, "not_found", "There is no such approval in this chat.");
      const from = deps.turns.of(chat.id)?.since(0).next ?? 0;
      await recordDecision(deps, {
        id: params.data.approval,
        userSub: user.sub,
        username: user.preferred_username,
        approve: form.data.decision === "approve",
        inputHash: form.data.input_hash,
      });
      const turn = deps.turns.of(chat.id);
      if (turn) await settled(turn, { from });
      return c.redirect(c.get("page")!.url(`/chats/${chat.id}`), 303);
    },
  );
}
