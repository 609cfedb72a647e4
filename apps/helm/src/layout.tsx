import type { Child } from "hono/jsx";
import { type PageProps, usePage } from "@hivematrix/lib/page";
import { Alert, Layout } from "@hivematrix/lib/ui";

/** The sections of Helm's navigation; a page names its own in `c.render(…, { section })`. */
const SECTIONS = [
  { id: "services", path: "/services", label: "Services" },
  { id: "metrics", path: "/performance", label: "Metrics" },
  { id: "backups", path: "/backups", label: "Backups" },
  { id: "users", path: "/users", label: "Users" },
  { id: "logs", path: "/logs", label: "Logs" },
  { id: "tail", path: "/logs/tail", label: "Live tail" },
  { id: "security", path: "/security", label: "Security audit" },
  { id: "config", path: "/config", label: "Configuration" },
];

/** Every Helm page: the platform layout with Helm's sections and the signed-in admin. */
export function HelmLayout({ title, section, notice, refreshSeconds, children }: PageProps & { children?: Child }) {
  const page = usePage();
  return (
    <Layout
      title={title}
      app="Helm"
      home={page.url("/services")}
      platformHome={page.prefix ? "/" : undefined}
      nav={SECTIONS.map((s) => ({ href: page.url(s.path), label: s.label, current: s.id === section }))}
      user={{ name: page.user.name, level: page.level }}
      refreshSeconds={refreshSeconds}
    >
      {notice && <Alert variant={notice.variant}>{notice.text}</Alert>}
      {children}
    </Layout>
  );
}
