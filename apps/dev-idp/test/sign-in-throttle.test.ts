import { afterAll, beforeAll, expect, test } from "bun:test";
import { generateCodeVerifier, generateState, KeyCloak } from "arctic";
import { CookieJar, follow, tempHome } from "@hivematrix/lib/testing";
import { REDIRECT, startIdp, type TestIdp } from "./start.ts";

const LOCK_SECONDS = 3;
let idp: TestIdp;

beforeAll(async () => {
  idp = await startIdp(tempHome(), {
    // Failures counted for minutes, so a slow machine cannot let the count lapse mid-test.
    signInThrottle: { failuresPerUser: 5, failuresPerAddress: 20, lockSeconds: LOCK_SECONDS, windowSeconds: 600 },
  });
});
afterAll(() => idp.close());

/** A sign-in form of its own; `submit` posts a username and password to it from an address (as Nexus names it). */
async function signInForm() {
  const jar = new CookieJar();
  const client = new KeyCloak(idp.issuer, idp.clientId, idp.clientSecret, REDIRECT);
  const { url, res } = await follow(
    jar,
    client.createAuthorizationURL(generateState(), generateCodeVerifier(), ["openid"]).toString(),
  );
  const action = new URL(/<form[^>]*action="([^"]+)"/.exec(await res.text())![1]!, url).toString();
  return (username: string, password: string, address = "203.0.113.1") =>
    jar.fetch(action, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": address },
      body: new URLSearchParams({ username, password }),
    });
}

test("30 wrong passwords in a burst lock the user: the right one is then refused until the lock lapses", async () => {
  const submit = await signInForm();
  const wrong: number[] = [];
  for (let i = 0; i < 30; i++) wrong.push((await submit("tech", "guess")).status);
  expect(wrong).toEqual([...Array(5).fill(401), ...Array(25).fill(429)]);

  const right = await submit("tech", "tech");
  expect(right.status).toBe(429);
  const wait = Number(right.headers.get("retry-after"));
  expect(wait).toBeGreaterThan(0);
  expect(wait).toBeLessThanOrEqual(LOCK_SECONDS);
  expect(await right.text()).toContain("Too many failed sign-ins.");
  // Locked by username, whichever address the next attempt comes from.
  expect((await submit("tech", "tech", "198.51.100.9")).status).toBe(429);
  // Guessing across usernames from one address locks the address: 5 failures so far, 15 more reach 20.
  for (let i = 1; i <= 15; i++) expect((await submit(`someone${i}`, "guess")).status).toBe(401);
  expect((await submit("billing", "billing")).status).toBe(429);
  expect((await (await signInForm())("billing", "billing", "198.51.100.9")).status).toBe(303);

  await Bun.sleep(wait * 1000 + 200);
  expect((await (await signInForm())("tech", "tech")).status).toBe(303);
}, 30_000);

test("a few mistakes do not lock anyone, and a success clears the user's count", async () => {
  const submit = await signInForm();
  for (let i = 0; i < 4; i++) expect((await submit("admin", "typo", "192.0.2.7")).status).toBe(401);
  expect((await submit("admin", "admin", "192.0.2.7")).status).toBe(303);
  const again = await signInForm();
  for (let i = 0; i < 4; i++) expect((await again("admin", "typo", "192.0.2.7")).status).toBe(401);
  expect((await again("admin", "admin", "192.0.2.7")).status).toBe(303);
});
