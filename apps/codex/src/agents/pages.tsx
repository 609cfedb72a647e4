import type { Context } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import { HttpError } from "@hivematrix/lib/errors";
import type { Notice } from "@hivematrix/lib/page";
import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { formFields } from "@hivematrix/lib/validate";
import { PAGES } from "../access.ts";
import type { Deps } from "../deps.ts";
import { actorOf, personOf } from "../shared/request.ts";
import { agentOf, savePreferencesOf } from "./data.ts";
import { listAgents } from "./data-lists.ts";
import { agentJson, DEFAULT_PREFERENCES, type PreferencesJson, preferencesOf, preferencesSchema } from "./json.ts";
import { AgentsPage, SettingsPage } from "./views.tsx";

/** The settings form's values: ticket emails as the select's on/off. */
type SettingsValues = { theme: string; home_page: string; email_notifications: string };
const formValues = (preferences: PreferencesJson): SettingsValues => ({
  theme: preferences.theme,
  home_page: preferences.home_page,
  email_notifications: preferences.email_notifications ? "on" : "off",
});

/** The agents list for staff, and each person's own settings. */
export function agentsPages(routes: RouteTable, deps: Deps) {
  const { db } = deps;

  routes.page(pageRoute({ method: "get", path: "/agents", access: PAGES.staff }), async (c) =>
    c.render(<AgentsPage agents={(await listAgents(db)).map(agentJson)} />, { title: "Agents", section: "agents" }),
  );

  const settings = (
    c: Context<AppEnv>,
    values: SettingsValues,
    errors: Record<string, string>,
    notice: Notice | null,
  ) =>
    c.render(<SettingsPage values={values} errors={errors} />, { title: "My settings", section: "settings", notice });

  routes.page(pageRoute({ method: "get", path: "/settings", access: PAGES.self }), async (c) => {
    const agent = await agentOf(db, personOf(c));
    const values = formValues(agent ? preferencesOf(agent) : DEFAULT_PREFERENCES);
    const saved = c.req.query("saved") === "1";
    return settings(c, values, {}, saved ? { variant: "success", text: "Settings saved." } : null);
  });

  routes.page(pageRoute({ method: "post", path: "/settings", access: PAGES.self }), async (c) => {
    const raw = await formFields(c);
    // Ticket emails are a select (on/off), so a form without it leaves the setting as it was.
    const emails = raw.email_notifications;
    const parsed = preferencesSchema.safeParse({
      theme: raw.theme,
      home_page: raw.home_page,
      email_notifications:
        emails === undefined ? undefined : emails === "on" ? true : emails === "off" ? false : emails,
    });
    if (!parsed.success) {
      c.status(422);
      const errors = Object.fromEntries(
        parsed.error.issues.map((issue) => [String(issue.path[0]), "Choose one of the options."]),
      );
      const typed = {
        theme: raw.theme ?? "system",
        home_page: raw.home_page ?? "nexus",
        email_notifications: emails ?? "on",
      };
      return settings(c, typed, errors, null);
    }
    try {
      await savePreferencesOf(db, personOf(c), parsed.data, actorOf(c));
    } catch (e) {
      // Someone else's agent holds this person's username or email: say so on the page.
      if (!(e instanceof HttpError) || e.status !== 409) throw e;
      c.status(409);
      const text = `Not saved: ${e.message} Ask an admin to change or delete that agent.`;
      return settings(c, formValues({ ...DEFAULT_PREFERENCES, ...parsed.data }), {}, { variant: "error", text });
    }
    return c.redirect(c.get("page")!.url("/settings?saved=1"), 303);
  });
}
