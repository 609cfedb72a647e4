import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createLogger } from "@hivematrix/lib/log";
import {
  assertClassesDefined,
  type Caller,
  tempHome,
  type TestIdentity,
  testIdentity,
  writeServicesFile,
} from "@hivematrix/lib/testing";
import { type BrainhairApp, createBrainhairApp } from "../src/app.ts";
import { buildDeps, type Deps, loadSettings } from "../src/deps.ts";
import { ENGINES } from "./harness.ts";
import { withPostgres } from "@hivematrix/lib/testing";

const SEED_BEFORE = {
  requester: "John Smith",
  email: "john.smith@example.com",
  phone: "555-123-4567",
  description: "Need help with SSN 123-45-6789",
  ip_address: "192.168.1.100",
};

for (const engine of ENGINES) {
  describe(`Brainhair's filter API, bad input and pages (${engine})`, () => {
    let identity: TestIdentity;
    let deps: Deps;
    let app: BrainhairApp;
    let drop = async () => {};

    beforeAll(async () => {
      identity = await testIdentity("brainhair");
      const home = tempHome("hm-brainhair-");
      const env: Record<string, string> = {
        HIVEMATRIX_HOME: home,
        HIVEMATRIX_SERVICES: writeServicesFile(home, { core: { port: 1, visible: false }, brainhair: { port: 2 } }),
      };
      if (engine === "postgres") {
        const pg = await withPostgres("hm_brainhair");
        env.BRAINHAIR_DATABASE_URL = pg.url;
        drop = pg.drop;
      }
      deps = buildDeps(loadSettings(env), {
        logger: createLogger({ service: "brainhair", level: "error" }),
        auth: identity.auth,
        csrf: identity.csrf,
      });
      await deps.db.whenReady;
      app = createBrainhairApp(deps);
    });
    afterAll(async () => {
      await deps.db.close();
      await drop();
    });

    const send = async (caller: Caller | null, method: string, path: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      if (!headers.has("accept")) headers.set("accept", "application/json");
      if (caller) headers.set("authorization", `Bearer ${await identity.token(caller)}`);
      return app.fetch(new Request(`http://brainhair.test${path}`, { ...init, method, headers }));
    };
    const post = (caller: Caller, path: string, body: unknown) =>
      send(caller, "POST", path, {
        body: typeof body === "string" ? body : JSON.stringify(body),
        headers: { "content-type": "application/json" },
      });

    test("POST /api/filter: the seed's example at hipaa, text with its entities, any level or an app", async () => {
      const data = await post("client", "/api/filter", { level: "hipaa", data: SEED_BEFORE });
      expect(await data.json()).toEqual({
        data: {
          requester: "John S.",
          email: "<EMAIL_ADDRESS>",
          phone: "<PHONE_NUMBER>",
          description: "Need help with SSN <US_SSN>",
          ip_address: "<IP_ADDRESS>",
        },
      });
      const text = await post("service", "/api/filter", { level: "standard", text: "SSN 123-45-6789 for John Smith" });
      expect(await text.json()).toEqual({
        text: "SSN <US_SSN> for John Smith",
        entities: [{ type: "US_SSN", start: 4, end: 15 }],
      });
    });

    test("bad input is a 4xx, never a 500: a bad level or body, both or neither, not JSON, over 1 MiB", async () => {
      expect((await post("technician", "/api/filter", { level: "secret", text: "x" })).status).toBe(422);
      expect((await post("technician", "/api/filter", { level: "hipaa", text: "x", data: {} })).status).toBe(422);
      expect((await post("technician", "/api/filter", { level: "hipaa" })).status).toBe(422);
      expect((await post("technician", "/api/filter", { level: "hipaa", text: 5 })).status).toBe(422);
      expect((await post("technician", "/api/filter", "{broken")).status).toBe(400);
      const form = await send("technician", "POST", "/api/filter", {
        body: "level=hipaa",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      expect(form.status).toBe(415);
      const big = await post("technician", "/api/filter", { level: "hipaa", text: "a".repeat(1024 * 1024 + 10) });
      expect(big.status).toBe(413);
      expect((await send(null, "POST", "/api/filter")).status).toBe(401);
      expect((await post("technician", "/api/chats/not-a-uuid/messages", { text: "x" })).status).toBe(404);
      expect((await post("technician", "/api/chats", { ticket: "1", company: "ACME-001" })).status).toBe(422);
      expect((await post("technician", "/api/chats", { extra: true })).status).toBe(422);
      expect((await send("technician", "GET", "/api/history?q=")).status).toBe(422);
    });

    test("the pages render with classes global.css defines, and admins alone see the audit", async () => {
      const chat = (await (
        await post("technician", "/api/chats", { text: "Printer on floor 2 is offline" })
      ).json()) as {
        id: string;
        title: string;
      };
      expect(chat.title).toBe("Printer on floor 2 is offline");
      for (const path of ["/", "/?ticket=12", `/chats/${chat.id}`, "/history", "/history?q=printer", "/usage"]) {
        const res = await send("technician", "GET", path, { headers: { accept: "text/html" } });
        expect({ path, status: res.status }).toEqual({ path, status: 200 });
        const html = await res.text();
        assertClassesDefined(html, path);
        // Without a key, the chat pages say what to configure.
        if (!path.startsWith("/history") && path !== "/usage") expect(html).toContain("ANTHROPIC_API_KEY");
      }
      const found = await (
        await send("technician", "GET", "/history?q=printer", { headers: { accept: "text/html" } })
      ).text();
      expect(found).toContain("Printer on floor 2 is offline");
      expect((await send("technician", "GET", "/audit", { headers: { accept: "text/html" } })).status).toBe(403);
      const audit = await send("admin", "GET", "/audit", { headers: { accept: "text/html" } });
      expect(audit.status).toBe(200);
      assertClassesDefined(await audit.text(), "/audit");
      expect((await send("billing", "GET", `/chats/${chat.id}`, { headers: { accept: "text/html" } })).status).toBe(
        404,
      );
    });
  });
}
