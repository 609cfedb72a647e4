import type { Child } from "hono/jsx";
import { type PageInfo, type PageProps, usePage } from "@hivematrix/lib/page";
import { Alert, Layout, type NavLink } from "@hivematrix/lib/ui";

/** The navigation entries a page marks as current (`c.render(body, { section })`). */
export type Section =
  | "dashboard"
  | "companies"
  | "contacts"
  | "assets"
  | "tickets"
  | "board"
  | "triage"
  | "billing"
  | "agents"
  | "admin"
  | "settings"
  | "search";

function navFor(page: PageInfo, current: string | undefined): NavLink[] {
  const links: [Section, string, string][] = [["dashboard", "Dashboard", "/"]];
  if (page.level === "client")
    links.push(["companies", "My company", `/companies/${encodeURIComponent(page.company ?? "")}`]);
  else links.push(["companies", "Companies", "/companies"]);
  links.push(
    ["contacts", "Contacts", "/contacts"],
    ["assets", "Assets", "/assets"],
    ["tickets", "Tickets", "/tickets"],
  );
  if (page.level !== "client")
    links.push(
      ["board", "Ticket board", "/tickets/board"],
      ["triage", "Email triage", "/mail/triage"],
      ["billing", "Billing", "/billing"],
      ["agents", "Agents", "/agents"],
      ["settings", "My settings", "/settings"],
    );
  if (page.level === "admin") links.push(["admin", "Admin", "/admin"]);
  return links.map(([section, label, href]) => ({ label, href: page.url(href), current: section === current }));
}

/** Every Codex page (`c.render`): the platform layout with this person's navigation and an optional notice. */
export function CodexLayout({ title, section, notice, refreshSeconds, children }: PageProps & { children?: Child }) {
  const page = usePage();
  return (
    <Layout
      title={title}
      app="Codex"
      home={page.url("/")}
      platformHome={page.prefix ? "/" : undefined}
      nav={navFor(page, section)}
      user={{ name: page.user.name || page.user.preferred_username, level: page.level }}
      refreshSeconds={refreshSeconds}
    >
      {notice && <Alert variant={notice.variant}>{notice.text}</Alert>}
      {children}
    </Layout>
  );
}
