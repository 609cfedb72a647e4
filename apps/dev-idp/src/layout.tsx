import type { Child } from "hono/jsx";
import type { PageProps } from "@hivematrix/lib/page";
import { Layout } from "@hivematrix/lib/ui";

/**
 * Every page of the dev IdP: its sign-in pages (through c.render) and oidc-provider's own
 * sign-out and error pages (rendered outside Hono). Nobody is signed in to HiveMatrix here.
 */
export function DevIdpLayout({ title, children }: PageProps & { children?: Child }) {
  return (
    <Layout title={title} app="HiveMatrix">
      {children}
    </Layout>
  );
}
