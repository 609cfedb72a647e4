import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { decodeJwt } from "jose";
import { REPO_ROOT } from "@hivematrix/lib/config";
import { startPlatform, type TestPlatform } from "@hivematrix/lib/testing";

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(() => platform.stop());

function run(...args: string[]) {
  const proc = Bun.spawnSync(["bun", "run", "--silent", "token", ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...platform.env },
  });
  return { code: proc.exitCode, out: proc.stdout.toString().trim(), err: proc.stderr.toString() };
}

describe("bun run token", () => {
  test("prints only a JWT that Core accepts, backed by a session row", async () => {
    const { code, out } = run();
    expect(code).toBe(0);
    expect(out).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(decodeJwt(out)).toMatchObject({ permission_level: "admin", preferred_username: "admin", type: "user" });
    const res = await fetch(`${platform.coreUrl}/api/sessions`, { headers: { authorization: `Bearer ${out}` } });
    expect(res.status).toBe(200);
    const { sessions } = (await res.json()) as { sessions: { id: string; source: string }[] };
    expect(sessions.find((s) => s.id === decodeJwt(out).jti)?.source).toBe("cli");
  });

  test("--level, --user, --company and --ttl shape the token", () => {
    const { out } = run("--level", "client", "--user", "ann", "--company", "ZED-9", "--ttl", "30m");
    const claims = decodeJwt(out);
    expect(claims).toMatchObject({
      permission_level: "client",
      preferred_username: "ann",
      company: "ZED-9",
      groups: ["client"],
    });
    expect(claims.exp! - claims.iat!).toBe(1800);
  });

  test("bad arguments exit 2 with a message", () => {
    expect(run("--level", "root")).toMatchObject({ code: 2 });
    expect(run("--ttl", "forever").err).toContain("--ttl");
    expect(run("--ttl", "90d").code).toBe(2);
  });
});
