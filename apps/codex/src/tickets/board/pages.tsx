import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { formFields } from "@hivematrix/lib/validate";
import { PAGES } from "../../access.ts";
import { agentChoices } from "../../agents/data-lists.ts";
import { TICKET_PRIORITIES } from "../../db/schema.ts";
import type { Deps } from "../../deps.ts";
import { actorOf, personOf } from "../../shared/request.ts";
import { boardFilterOf, readBoardSettings, ticketBoard, ticketGroups, writeBoardSettings } from "./data.ts";
import { BOARD_SETTING_KEYS, boardPageQuery, patchedSettings, SECTION_ROWS, thresholdMinutes } from "./json.ts";
import { TicketBoardPage } from "./views.tsx";
import { BoardSettingsPage } from "./views-settings.tsx";

const PAGE_FILTERS = new Set(["group", "assignee", "refresh"]);

/** The form's thresholds, each checked, and the warning at or before the critical mark. */
function thresholdsOf(raw: Record<string, string>) {
  const errors: Record<string, string> = {};
  const patch: Record<string, Record<string, number>> = {};
  for (const key of BOARD_SETTING_KEYS)
    for (const priority of TICKET_PRIORITIES) {
      const name = `${key}.${priority}`;
      const value = thresholdMinutes.safeParse(/^\s*\d+\s*$/.test(raw[name] ?? "") ? Number(raw[name]) : Number.NaN);
      if (value.success) (patch[key] ??= {})[priority] = value.data;
      else errors[name] = "Whole minutes, from 1 to 525600.";
    }
  for (const priority of TICKET_PRIORITIES) {
    const [critical, warning] = [patch.due_critical_minutes?.[priority], patch.due_warning_minutes?.[priority]];
    if (critical !== undefined && warning !== undefined && warning < critical)
      errors[`due_warning_minutes.${priority}`] = "The warning must come at or before the critical mark.";
  }
  return { errors, patch };
}

/** The ticket board's wall-display page for staff, and the admin's form for its SLA thresholds. */
export function ticketBoardPages(routes: RouteTable, deps: Deps) {
  const { db } = deps;

  routes.page(pageRoute({ method: "get", path: "/tickets/board", access: PAGES.staff }), async (c) => {
    const asked = Object.entries(c.req.query()).filter(([name, value]) => PAGE_FILTERS.has(name) && value !== "");
    const parsed = boardPageQuery.safeParse(Object.fromEntries(asked));
    const query = parsed.success ? parsed.data : {};
    const board = await ticketBoard(db, await boardFilterOf(db, query, personOf(c)), new Date(), SECTION_ROWS);
    return c.render(
      <TicketBoardPage board={board} query={query} groups={await ticketGroups(db)} agents={await agentChoices(db)} />,
      {
        title: "Ticket board",
        section: "board",
        refreshSeconds: query.refresh === "off" ? undefined : 60,
        notice: parsed.success ? null : { variant: "info", text: "Ignored an invalid filter." },
      },
    );
  });

  routes.page(pageRoute({ method: "get", path: "/admin/ticket-board", access: PAGES.admin }), async (c) => {
    const settings = await readBoardSettings(db);
    const values = Object.fromEntries(
      BOARD_SETTING_KEYS.flatMap((key) =>
        TICKET_PRIORITIES.map((priority) => [`${key}.${priority}`, String(settings[key][priority])]),
      ),
    );
    const updated = settings.updated_by ? { by: settings.updated_by, at: settings.updated_at! } : null;
    const saved = c.req.query("saved") === "1";
    return c.render(<BoardSettingsPage values={values} errors={{}} updated={updated} />, {
      title: "Ticket board SLA",
      section: "admin",
      notice: saved ? { variant: "success", text: "Thresholds saved." } : null,
    });
  });

  routes.page(pageRoute({ method: "post", path: "/admin/ticket-board", access: PAGES.admin }), async (c) => {
    const raw = await formFields(c);
    const { errors, patch } = thresholdsOf(raw);
    const next = Object.keys(errors).length ? null : patchedSettings(await readBoardSettings(db), patch);
    if (next && !next.success) for (const issue of next.error.issues) errors[issue.path.join(".")] = issue.message;
    if (!next?.success) {
      c.status(422);
      return c.render(<BoardSettingsPage values={raw} errors={errors} updated={null} />, {
        title: "Ticket board SLA",
        section: "admin",
        notice: { variant: "error", text: "Check the fields marked below." },
      });
    }
    await writeBoardSettings(db, next.data, actorOf(c).name);
    return c.redirect(c.get("page")!.url("/admin/ticket-board?saved=1"), 303);
  });
}
