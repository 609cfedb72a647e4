import { describe, expect, test } from "bun:test";
import type { UserClaims } from "@hivematrix/lib/auth";
import type { ServiceEntry } from "@hivematrix/lib/config";
import { assertClassesDefined } from "@hivematrix/lib/testing/design-system";
import { HomePage } from "../src/views/home-page.tsx";

const service = (name: string, permission: ServiceEntry["permission"] = null): ServiceEntry => ({
  name,
  url: `http://127.0.0.1:1/${name}`,
  port: 1,
  host: "127.0.0.1",
  title: name[0]!.toUpperCase() + name.slice(1),
  description: "",
  visible: true,
  permission,
  publicPaths: [],
});

const user = (level: UserClaims["permission_level"]): UserClaims => ({
  iss: "hivematrix.core",
  type: "user",
  sub: "s",
  jti: "j",
  name: "Ada Admin",
  email: "a@x",
  preferred_username: "ada",
  permission_level: level,
  groups: [],
  iat: 0,
  exp: 0,
});

const render = async (level: UserClaims["permission_level"], services: ServiceEntry[]) =>
  String(await (<HomePage user={user(level)} services={services} csrf="t" theme={null} />));

describe("the home page's admin links", () => {
  test("an admin gets sessions and, when Helm is there, user management", async () => {
    const html = await render("admin", [service("codex"), service("helm", "admin")]);
    expect(html).toContain('href="/core/sessions"');
    expect(html).toContain('href="/helm/users"');
    assertClassesDefined(html, "home as admin");
  });

  test("without Helm there is no user-management link; other levels get neither", async () => {
    expect(await render("admin", [service("codex")])).not.toContain("/helm/users");
    const tech = await render("technician", [service("codex")]);
    expect(tech).not.toContain("/core/sessions");
    expect(tech).not.toContain("/helm/users");
  });
});
