import type { Context } from "hono";
import { z } from "zod";
import { appUrl, type AppEnv } from "@hivematrix/lib/app";
import { validationFailed } from "@hivematrix/lib/errors";
import { formFields, jsonBody, queryParams } from "@hivematrix/lib/validate";
import type { Deps } from "../deps.ts";
import { TICKET_PRIORITIES } from "../db/schema.ts";
import {
  boardSettingsSchema,
  readBoardSettings,
  ticketBoard,
  ticketGroups,
  writeBoardSettings,
  type BoardFilter,
  type BoardSettings,
} from "../data/ticket-board.ts";
import { agentOfUser } from "./api-agents.ts";
import { pageCtx } from "../views/shell.tsx";
import { BOARD_SETTING_KEYS, BoardSettingsPage, SECTION_ROWS, TicketBoardPage } from "../views/ticket-board.tsx";
import type { RouteTable } from "./registry.ts";
import { actorOf } from "../shared/request.ts";

export const boardQuery = z
  .object({
    group: z.string().trim().max(200).optional(),
    /** An agent id, `unassigned`, or `me` (the signed-in person's agent record). */
    assignee: z
      .union([
        z.literal("unassigned"),
        z.literal("me"),
        z.string().regex(/^\d{1,9}$/, "An agent id, unassigned or me."),
      ])
      .optional(),
    /** At most this many (most pressing) tickets per section; `section_totals` still counts them all. */
    per_section: z.coerce.number().int().min(1).max(100_000).optional(),
  })
  .strict();

/** The page also takes refresh=off: a person who needs longer than a minute with it stops the reload. */
const boardPageQuery = boardQuery.omit({ per_section: true }).extend({ refresh: z.literal("off").optional() });

const minutes = z
  .number()
  .int()
  .min(1)
  .max(365 * 24 * 60);
const partialPriorities = z
  .object(
    Object.fromEntries(TICKET_PRIORITIES.map((p) => [p, minutes.optional()])) as Record<
      (typeof TICKET_PRIORITIES)[number],
      z.ZodOptional<typeof minutes>
    >,
  )
  .strict();
/** PUT body: any of the thresholds; the rest keep their current values. */
const settingsPatch = z
  .object(
    Object.fromEntries(BOARD_SETTING_KEYS.map((k) => [k, partialPriorities.optional()])) as Record<
      (typeof BOARD_SETTING_KEYS)[number],
      z.ZodOptional<typeof partialPriorities>
    >,
  )
  .strict();

async function filterOf(deps: Deps, c: Context<AppEnv>, q: z.infer<typeof boardQuery>): Promise<BoardFilter> {
  let assignee: BoardFilter["assignee"];
  if (q.assignee === "unassigned") assignee = "unassigned";
  // Someone with no agent record has no tickets assigned: -1 matches nobody.
  else if (q.assignee === "me") assignee = c.get("user") ? ((await agentOfUser(deps, c))?.id ?? -1) : -1;
  else if (q.assignee) assignee = Number(q.assignee);
  return { group: q.group || undefined, assignee };
}

/** Current settings with a patch laid over them, checked as a whole (warning ≥ critical). */
function merged(
  current: BoardSettings,
  patch: Partial<Record<keyof BoardSettings, Partial<Record<string, number | undefined>>>>,
) {
  const next = Object.fromEntries(
    BOARD_SETTING_KEYS.map((k) => [
      k,
      { ...current[k], ...Object.fromEntries(Object.entries(patch[k] ?? {}).filter(([, v]) => v !== undefined)) },
    ]),
  );
  return boardSettingsSchema.safeParse(next);
}

const issues = (e: z.ZodError) => e.issues.map((i) => ({ field: i.path.join("."), message: i.message }));

/**
 * The ticket board: the API (`/api/tickets/active`, registered before `/api/tickets/:id`), its
 * wall-display page for staff, and the admin setting for its SLA thresholds.
 */
export function ticketBoardRoutes(r: RouteTable, deps: Deps) {
  const h = deps.db;

  r.add(
    {
      method: "get",
      path: "/api/tickets/active",
      access: "staff",
      tag: "Tickets",
      summary: "Active tickets in four sections with SLA state (the ticket board)",
      query: boardQuery,
    },
    async (c) => {
      const q = queryParams(c, boardQuery);
      return c.json(await ticketBoard(h, await filterOf(deps, c, q), new Date(), q.per_section));
    },
  );
  r.add(
    {
      method: "get",
      path: "/api/settings/ticket-board",
      access: "staff",
      tag: "Tickets",
      summary: "The ticket board's SLA thresholds (minutes, per priority)",
    },
    async (c) => c.json(await readBoardSettings(h)),
  );
  r.add(
    {
      method: "put",
      path: "/api/settings/ticket-board",
      access: "admin",
      tag: "Tickets",
      summary: "Change the ticket board's SLA thresholds (those sent)",
      body: settingsPatch,
    },
    async (c) => {
      const patch = await jsonBody(c, settingsPatch);
      const next = merged(await readBoardSettings(h), patch);
      if (!next.success) throw validationFailed(issues(next.error));
      await writeBoardSettings(h, next.data, actorOf(c).name);
      return c.json(await readBoardSettings(h));
    },
  );

  r.add(
    {
      method: "get",
      path: "/tickets/board",
      access: "staff",
      page: true,
      tag: "Pages",
      summary: "Ticket board: active tickets by section with SLA badges",
    },
    async (c) => {
      const p = pageCtx(c);
      const parsed = boardPageQuery.safeParse(
        Object.fromEntries(
          Object.entries(c.req.query()).filter(
            ([k, v]) => (k === "group" || k === "assignee" || k === "refresh") && v !== "",
          ),
        ),
      );
      const q = parsed.success ? parsed.data : {};
      const agents = await h.db
        .select({ id: h.t.agents.id, name: h.t.agents.name })
        .from(h.t.agents)
        .orderBy(h.t.agents.name);
      const board = await ticketBoard(h, await filterOf(deps, c, q), new Date(), SECTION_ROWS);
      return c.html(
        <TicketBoardPage
          p={p}
          board={board}
          query={q}
          groups={await ticketGroups(h)}
          agents={agents}
          notice={parsed.success ? null : "Ignored an invalid filter."}
        />,
      );
    },
  );

  r.add(
    {
      method: "get",
      path: "/admin/ticket-board",
      access: "admin",
      page: true,
      tag: "Pages",
      summary: "Ticket board SLA thresholds form",
    },
    async (c) => {
      const s = await readBoardSettings(h);
      const values = Object.fromEntries(
        BOARD_SETTING_KEYS.flatMap((k) => TICKET_PRIORITIES.map((p) => [`${k}.${p}`, String(s[k][p])])),
      );
      return c.html(
        <BoardSettingsPage
          p={pageCtx(c)}
          values={values}
          errors={{}}
          saved={c.req.query("saved") === "1"}
          updated={s.updated_by ? { by: s.updated_by, at: s.updated_at! } : null}
        />,
      );
    },
  );
  r.add(
    {
      method: "post",
      path: "/admin/ticket-board",
      access: "admin",
      page: true,
      tag: "Pages",
      summary: "Save the ticket board's SLA thresholds",
    },
    async (c) => {
      const raw = await formFields(c);
      const errors: Record<string, string> = {};
      const patch: Record<string, Record<string, number>> = {};
      for (const k of BOARD_SETTING_KEYS) {
        for (const p of TICKET_PRIORITIES) {
          const name = `${k}.${p}`;
          const v = minutes.safeParse(/^\s*\d+\s*$/.test(raw[name] ?? "") ? Number(raw[name]) : NaN);
          if (v.success) (patch[k] ??= {})[p] = v.data;
          else errors[name] = "Whole minutes, from 1 to 525600.";
        }
      }
      for (const p of TICKET_PRIORITIES) {
        const [critical, warning] = [patch.due_critical_minutes?.[p], patch.due_warning_minutes?.[p]];
        if (critical !== undefined && warning !== undefined && warning < critical)
          errors[`due_warning_minutes.${p}`] = "The warning must come at or before the critical mark.";
      }
      const next = Object.keys(errors).length ? null : merged(await readBoardSettings(h), patch);
      if (next && !next.success) for (const i of next.error.issues) errors[i.path.join(".")] = i.message;
      if (!next?.success)
        return c.html(
          <BoardSettingsPage p={pageCtx(c)} values={raw} errors={errors} saved={false} updated={null} />,
          422,
        );
      await writeBoardSettings(h, next.data, actorOf(c).name);
      return c.redirect(appUrl(c, "/admin/ticket-board?saved=1"), 303);
    },
  );
}
