import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { decodeProtectedHeader } from "jose";
import { statSync } from "node:fs";
import { join } from "node:path";
import { coreSessionCheck, createAuth, remoteJwks } from "@hivematrix/lib/auth";
import { REPO_ROOT } from "@hivematrix/lib/config";
import { startCore, type CoreUnderTest } from "./harness.ts";
import { createSession } from "../src/sessions/data.ts";
import { mintUserToken } from "../src/tokens/mint.ts";

let core: CoreUnderTest;
const session = () =>
  createSession(core.deps.db, {
    sub: "s",
    username: "tech",
    name: "T",
    email: "t@x",
    permissionLevel: "technician",
    groups: ["technicians"],
    company: null,
    source: "cli",
    ttlMs: 600_000,
  });

beforeAll(async () => {
  core = await startCore();
});
afterAll(() => core.stop());

describe("signing keys", () => {
  test("are created on first start, private and named by their JWK thumbprint", async () => {
    const { keys } = await core.deps.keys.jwks();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig" });
    expect(keys[0]!.d).toBeUndefined();
    expect(keys[0]!.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const pem = join(core.home, "keys", `core-${keys[0]!.kid}.pem`);
    expect(statSync(pem).mode & 0o777).toBe(0o600);
    const res = await fetch(`${core.url}/.well-known/jwks.json`);
    expect(await res.json()).toEqual({ keys });
  });

  test("`bun run core:rotate-key` adds a key; tokens signed before stay valid, new ones use the new key", async () => {
    const auth = createAuth({
      audience: "codex",
      keys: remoteJwks(core.url),
      sessionCheck: coreSessionCheck(core.url, 0),
    });
    const before = await mintUserToken(core.deps.keys, await session());
    await auth.verify(before);
    const oldKid = decodeProtectedHeader(before).kid;

    const proc = Bun.spawn(["bun", "run", "core:rotate-key"], {
      cwd: REPO_ROOT,
      env: { ...process.env, HIVEMATRIX_HOME: core.home },
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(await proc.exited).toBe(0);
    expect(await new Response(proc.stdout).text()).toContain("is now current");
    await Bun.sleep(1_100);

    const { keys } = (await (await fetch(`${core.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    expect(keys).toHaveLength(2);
    const after = await mintUserToken(core.deps.keys, await session());
    const newKid = decodeProtectedHeader(after).kid;
    expect(newKid).not.toBe(oldKid);
    expect(keys.map((k) => k.kid)).toEqual([newKid!, oldKid!]);
    // lib/auth had only the old key cached; the unknown kid makes it fetch the JWKS again.
    expect((await auth.verify(after)).kind).toBe("user");
    expect((await auth.verify(before)).kind).toBe("user");
  });

  test("a second rotation retires the oldest key", async () => {
    const oldest = (await core.deps.keys.jwks()).keys[1]!.kid;
    await core.deps.keys.rotate();
    const kids = (await core.deps.keys.jwks()).keys.map((k) => k.kid);
    expect(kids).toHaveLength(2);
    expect(kids).not.toContain(oldest);
  });
});
