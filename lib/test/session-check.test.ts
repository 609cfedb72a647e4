import { afterAll, describe, expect, test } from "bun:test";
import type { UserClaims } from "../src/auth.ts";
import { coreSessionCheck } from "../src/session-check.ts";

/** A stand-in for Core's /api/token/validate: counts questions, and answers when the test lets it. */
let asked = 0;
let verdict: { valid: boolean; error?: string } = { valid: true };
let hold: Promise<void> | null = null;
const core = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch() {
    asked++;
    if (hold) await hold;
    return Response.json(verdict);
  },
});
afterAll(() => core.stop(true));

const claims = (jti: string) => ({ jti, exp: Math.floor(Date.now() / 1000) + 3600 }) as UserClaims;

describe("asking Core whether a session is live", () => {
  test("requests that find no fresh answer at the same moment share one question", async () => {
    asked = 0;
    const check = coreSessionCheck(core.url.origin, 2_000);
    const answers = await Promise.all(Array.from({ length: 50 }, () => check("token", claims("s1"))));
    expect(answers.every((a) => a.valid)).toBe(true);
    expect(asked).toBe(1);
    expect(check.isLive("s1", Date.now())).toBe(true);
    expect(check.isLive("s1", Date.now() + 2_001)).toBe(false);
    expect(check.isLive("unknown", Date.now())).toBe(false);
  });

  test("a forgotten session is asked about again, and an answer given before the forget is not kept", async () => {
    asked = 0;
    const check = coreSessionCheck(core.url.origin, 60_000);
    await check("token", claims("s2"));
    check.forget("s2");
    expect(check.isLive("s2", Date.now())).toBe(false);
    // Core said "live" before the revocation was heard, but the answer arrives after it.
    let release!: () => void;
    hold = new Promise((resolve) => (release = resolve));
    const inFlight = check("token", claims("s2"));
    await Bun.sleep(20);
    check.forget("s2");
    release();
    hold = null;
    expect((await inFlight).valid).toBe(true);
    expect(check.isLive("s2", Date.now())).toBe(false);
    verdict = { valid: false, error: "session_revoked" };
    expect(await check("token", claims("s2"))).toEqual({ valid: false, error: "session_revoked" });
    expect(asked).toBe(3);
    verdict = { valid: true };
  });

  test("forgetAll drops every verdict", async () => {
    const check = coreSessionCheck(core.url.origin, 60_000);
    await Promise.all([check("token", claims("a")), check("token", claims("b"))]);
    check.forgetAll();
    expect([check.isLive("a", Date.now()), check.isLive("b", Date.now())]).toEqual([false, false]);
  });
});
