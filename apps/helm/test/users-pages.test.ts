import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { assertClassesDefined } from "@hivematrix/lib/testing/design-system";
import { bearer } from "./harness.ts";
import { type UserJson, usersPlatform } from "./users-platform.ts";

/** Helm's users pages against the dev IdP's admin API, with Core: real processes, real sign-ins. */
const users = usersPlatform();
const { signIn, api, create } = users;
let helm: string;
let admin: string;

beforeAll(async () => {
  ({ helm, admin } = await users.start());
  // Seven users to search and page through, and one whose username a new user cannot take.
  for (let i = 0; i < 7; i++)
    await create(admin, {
      username: `page${i}`,
      email: `page${i}@msp.example`,
      first_name: "Pager",
      level: "technician",
    });
  await create(admin, { username: "rita", email: "rita@msp.example", level: "technician", temporary: false });
}, 120_000);
afterAll(() => users.stop());

describe("the users pages", () => {
  const page = (path: string, init: RequestInit = {}) =>
    fetch(`${helm}${path}`, {
      ...init,
      headers: {
        ...bearer(admin),
        accept: "text/html",
        "x-forwarded-prefix": "/helm",
        ...(init.headers as Record<string, string>),
      },
    });
  const csrfOf = async (path: string) => /name="_csrf" value="([^"]+)"/.exec(await (await page(path)).text())![1]!;
  const post = async (path: string, fields: Record<string, string>, from = "/users/new") =>
    page(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: await csrfOf(from), ...fields }),
      redirect: "manual",
    });

  test("list, search and pages render with design-system classes only, prefixed links and no caching", async () => {
    const res = await page("/users?q=page");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    assertClassesDefined(html, "users list");
    expect(html).not.toMatch(/ style=|<style|<script/);
    expect(html).toContain("page6");
    expect(html).toContain("1–7 of 7");
    expect(html).toContain('href="/helm/users/new"');
    const second = await (await page("/users?page=2")).text();
    expect(second).toContain('rel="prev"');
    expect((await page("/users?page=0")).status).toBe(422);
    for (const path of ["/users/new"]) assertClassesDefined(await (await page(path)).text(), path);
  });

  test("a form without its CSRF token is refused and creates nothing", async () => {
    const res = await page("/users", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: "sneaky", email: "s@msp.example", level: "admin" }),
    });
    expect(res.status).toBe(403);
    expect((await (await api(admin, "GET", "/api/users?q=sneaky")).json()).total).toBe(0);
  });

  test("the new-user form shows errors next to the fields and keeps what was typed", async () => {
    const res = await post("/users", { username: "x", email: "nope", level: "client", first_name: "Xavier" });
    expect(res.status).toBe(422);
    const html = await res.text();
    assertClassesDefined(html, "new user with errors");
    expect(html).toMatch(/id="field-username-error"[^>]*>2 to 64 characters/);
    expect(html).toMatch(/id="field-email-error"[^>]*>Enter a valid email address\./);
    expect(html).toMatch(/id="field-company-error"[^>]*>A client user needs the account number/);
    expect(html).toContain('value="Xavier"');
    const taken = await post("/users", {
      username: "rita",
      email: "rita2@msp.example",
      level: "technician",
      temporary: "on",
    });
    expect(taken.status).toBe(409);
    expect(await taken.text()).toMatch(/id="field-username-error"[^>]*>This username is taken\./);
  });

  test("creating shows the password once; the user's page never shows it", async () => {
    const res = await post("/users", {
      username: "paula",
      email: "paula@msp.example",
      first_name: "Paula",
      level: "technician",
      temporary: "on",
    });
    expect(res.status).toBe(201);
    const html = await res.text();
    assertClassesDefined(html, "password shown");
    const password = /id="shown-password">([^<]+)</.exec(html)![1]!;
    expect(html).toContain("shown only this once");
    const id = /href="\/helm\/users\/([^"]+)"/.exec(html)![1]!;
    const userPage = await (await page(`/users/${id}`)).text();
    assertClassesDefined(userPage, "user page");
    expect(userPage).not.toContain(password);
    expect(userPage).toContain('value="paula@msp.example"');
    expect((await signIn("paula", password)).location).toContain("update-password");
  });

  test("editing: errors next to fields, a save redirects with a notice, and reset shows a new password", async () => {
    const paula = (await (await api(admin, "GET", "/api/users?q=paula")).json()).users[0] as UserJson;
    const path = `/users/${paula.id}`;
    const bad = await post(path, { email: "paula@msp.example", level: "client", enabled: "on" }, path);
    expect(bad.status).toBe(422);
    expect(await bad.text()).toMatch(/id="field-company-error"/);
    const saved = await post(
      path,
      { email: "paula@msp.example", first_name: "Paula", last_name: "Prince", level: "billing", enabled: "on" },
      path,
    );
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe(`/helm${path}?notice=saved`);
    const after = await (await page(`${path}?notice=saved`)).text();
    expect(after).toContain("Saved.");
    expect(after).toContain('value="Prince"');
    const reset = await post(`${path}/reset-password`, { temporary: "on" }, path);
    expect(reset.status).toBe(200);
    expect(await reset.text()).toMatch(/id="shown-password">[A-Za-z2-9-]{23}</);
  });

  test("deleting yourself is refused on the page with the reason; deleting another redirects to the list", async () => {
    const me = (await (await api(admin, "GET", "/api/users?q=admin")).json()).users.find(
      (u: UserJson) => u.username === "admin",
    ) as UserJson;
    const mine = await (await page(`/users/${me.id}`)).text();
    expect(mine).toContain("You cannot delete your own account.");
    expect(mine).not.toContain(`/users/${me.id}/delete`);
    const refused = await post(`/users/${me.id}/delete`, {}, `/users/${me.id}`);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("You cannot delete your own account.");
    const paula = (await (await api(admin, "GET", "/api/users?q=paula")).json()).users[0] as UserJson;
    const gone = await post(`/users/${paula.id}/delete`, {}, `/users/${paula.id}`);
    expect(gone.status).toBe(303);
    expect(gone.headers.get("location")).toBe("/helm/users?notice=deleted");
    expect((await page(`/users/${paula.id}`)).status).toBe(404);
  });
});
