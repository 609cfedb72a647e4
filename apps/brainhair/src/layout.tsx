import type { Child } from "hono/jsx";
import { type PageProps, usePage } from "@hivematrix/lib/page";
import { Alert, Layout } from "@hivematrix/lib/ui";

/** Every Brainhair page: the platform layout with the chat's navigation. */
export function BrainhairLayout({
  title,
  section,
  notice,
  refreshSeconds,
  children,
}: PageProps & { children?: Child }) {
  const page = usePage();
  const admin = page.level === "admin";
  return (
    <Layout
      title={title}
      app="Brainhair"
      home={page.url("/")}
      platformHome={page.prefix ? "/" : undefined}
      refreshSeconds={refreshSeconds}
      nav={[
        { label: "Chat", href: page.url("/"), current: section === "chat" },
        { label: "History", href: page.url("/history"), current: section === "history" },
        { label: "Usage", href: page.url("/usage"), current: section === "usage" },
        ...(admin ? [{ label: "Audit", href: page.url("/audit"), current: section === "audit" }] : []),
      ]}
      user={{ name: page.user.name, level: page.level }}
    >
      {notice && <Alert variant={notice.variant}>{notice.text}</Alert>}
      {children}
    </Layout>
  );
}
