import type { Child } from "hono/jsx";
import { useRequestContext } from "hono/jsx-renderer";
import type { AppEnv } from "@hivematrix/lib/app";
import type { PageProps } from "@hivematrix/lib/page";
import { Alert, Layout } from "@hivematrix/lib/ui";

/**
 * Nexus's pages: the platform layout with the signed-in person, when there is one (sign-in
 * errors and the signed-out page are shown without a session).
 */
export function NexusLayout({ title, notice, children }: PageProps & { children?: Child }) {
  const user = useRequestContext<AppEnv>().get("page")?.user;
  return (
    <Layout
      title={title}
      app="HiveMatrix"
      home="/"
      user={user && { name: user.name || user.preferred_username, level: user.permission_level }}
    >
      {notice && <Alert variant={notice.variant}>{notice.text}</Alert>}
      {children}
    </Layout>
  );
}
