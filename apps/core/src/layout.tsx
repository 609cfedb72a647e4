import type { Child } from "hono/jsx";
import { type PageProps, usePage } from "@hivematrix/lib/page";
import { Alert, Layout } from "@hivematrix/lib/ui";

/** Core's pages: the platform layout with Core's brand and the signed-in person. */
export function CoreLayout({ title, notice, children }: PageProps & { children?: Child }) {
  const page = usePage();
  return (
    <Layout
      title={title}
      app="Core"
      home={page.url("/sessions")}
      platformHome={page.prefix ? "/" : undefined}
      user={{ name: page.user.name, level: page.level }}
    >
      {notice && <Alert variant={notice.variant}>{notice.text}</Alert>}
      {children}
    </Layout>
  );
}
