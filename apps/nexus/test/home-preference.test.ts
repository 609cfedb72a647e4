import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Server } from "bun";
import { decodeJwt } from "jose";
import { startBackend } from "./backend.ts";
import { NAVIGATE, signIn, startNexusPlatform } from "./helpers.ts";

// Starting real processes can take longer than bun's 5 s default on a busy machine.
setDefaultTimeout(60_000);

/**
 * A signed-in person going to `/` lands on the app they chose as their home page (Codex's
 * GET /api/my/settings), when it exists and is theirs to open; `/` itself still shows home.
 */
let platform: Awaited<ReturnType<typeof startNexusPlatform>>;
let echo: ReturnType<typeof startBackend>;
let admintool: ReturnType<typeof startBackend>;
let codex: Server<undefined> | null = null;
/** What the stand-in Codex answers, per username; "hang" never answers. */
let preferences: Record<string, string> = {};

function startCodex(port: number) {
  return Bun.serve({
    hostname: "127.0.0.1",
    port,
    async fetch(req) {
      const url = new URL(req.url);
      if (url.pathname !== "/api/my/settings") return Response.json({ path: url.pathname });
      const claims = decodeJwt(req.headers.get("authorization")!.slice(7)) as { preferred_username: string };
      const choice = preferences[claims.preferred_username];
      if (choice === "hang") await Bun.sleep(10_000);
      if (claims.preferred_username === "client")
        return Response.json({ error: { code: "forbidden" } }, { status: 403 });
      return Response.json({ theme: "system", home_page: choice ?? "nexus" });
    },
  });
}

beforeAll(async () => {
  platform = await startNexusPlatform({
    codex: { title: "Codex", start: false },
    echo: { title: "Echo", start: false },
    admintool: { title: "Admin tool", start: false, permission: "admin" },
    hidden: { title: "Hidden", start: false, visible: false },
  });
  echo = startBackend(platform.ports.echo!);
  admintool = startBackend(platform.ports.admintool!);
  codex = startCodex(platform.ports.codex!);
});
afterAll(async () => {
  echo?.stop(true);
  admintool?.stop(true);
  codex?.stop(true);
  await platform?.stop();
});

const landing = async (username: string, path = "/") => {
  const { landed } = await signIn(platform.nexus, username, username, path);
  return new URL(landed!.url).pathname;
};

describe("the home-page preference", () => {
  test("signing in to / lands on the chosen app; / itself then shows home", async () => {
    preferences = { tech: "echo" };
    const { jar, landed } = await signIn(platform.nexus, "tech", "tech", "/");
    expect(new URL(landed!.url).pathname).toBe("/echo/");
    const home = await jar.fetch(`${platform.nexus}/`, { headers: NAVIGATE });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("Welcome,");
  });

  test("signing in to another page goes to that page, whatever the preference", async () => {
    preferences = { tech: "echo" };
    expect(await landing("tech", "/echo/page")).toBe("/echo/page");
    expect(await landing("tech", "/codex/elsewhere")).toBe("/codex/elsewhere");
  });

  test("only an app that exists, is shown on home and is theirs to open; otherwise home", async () => {
    preferences = { billing: "admintool", tech: "helm", admin: "admintool" };
    expect(await landing("billing")).toBe("/");
    expect(await landing("tech")).toBe("/");
    expect(await landing("admin")).toBe("/admintool/");
    preferences = { tech: "hidden" };
    expect(await landing("tech")).toBe("/");
    preferences = { tech: "nexus" };
    expect(await landing("tech")).toBe("/");
    // Codex answers no preferences for client users.
    expect(await landing("client")).toBe("/");
  });

  test("Codex down or hanging never stands in the way of signing in: home it is", async () => {
    preferences = { tech: "hang" };
    const started = Date.now();
    expect(await landing("tech")).toBe("/");
    expect(Date.now() - started).toBeLessThan(8_000);
    codex!.stop(true);
    codex = null;
    expect(await landing("tech")).toBe("/");
  });
});
