import { describe, expect, test } from "bun:test";
import { assertClassesDefined } from "@hivematrix/lib/testing/design-system";
import { nexusInProcess } from "./in-process.ts";

const homeAs = async (level: "admin" | "technician", apps: Parameters<typeof nexusInProcess>[0]) => {
  const { send } = await nexusInProcess(apps);
  const res = await send(level, "GET", "/", { headers: { accept: "text/html" } });
  expect(res.status).toBe(200);
  return res.text();
};

describe("the home page's admin links", () => {
  test("an admin gets sessions and, when Helm is there, user management", async () => {
    const html = await homeAs("admin", { codex: { port: 3 }, helm: { port: 4, permission: "admin" } });
    expect(html).toContain('href="/core/sessions"');
    expect(html).toContain('href="/helm/users"');
    assertClassesDefined(html, "home as admin");
  });

  test("without Helm there is no user-management link; other levels get neither", async () => {
    expect(await homeAs("admin", { codex: { port: 3 } })).not.toContain("/helm/users");
    const tech = await homeAs("technician", { codex: { port: 3 } });
    expect(tech).not.toContain("/core/sessions");
    expect(tech).not.toContain("/helm/users");
  });
});
