import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { eq } from "drizzle-orm";
import { reply } from "@hivematrix/lib/testing/fake-anthropic";
import {
  type BrainhairUnderTest,
  ENGINES,
  type Event,
  readEvents,
  startBrainhair,
  toolResults,
  type Who,
} from "./harness.ts";

setDefaultTimeout(90_000);

type Approval = {
  id: string;
  input_hash: string;
  decide_url: string;
  summary: { lines: { field: string; old: string | null; new: string }[] };
};

for (const engine of ENGINES) {
  describe(`writes wait for the person's approval (${engine})`, () => {
    let bh: BrainhairUnderTest;
    const tech: Who = { level: "technician", user: "tess" };
    const other: Who = { level: "technician", user: "otto" };
    let ticket: number;

    beforeAll(async () => {
      bh = await startBrainhair(engine, { env: { BRAINHAIR_APPROVAL_TIMEOUT_SECONDS: "3" } });
      const list = (await (await bh.appCall("codex", tech, "GET", "/api/tickets?company=ACME-001&limit=1")).json()) as {
        items: { id: number }[];
      };
      ticket = list.items[0]!.id;
    });
    afterAll(() => bh.stop());

    const conversation = async () =>
      (
        (await (await bh.appCall("codex", tech, "GET", `/api/tickets/${ticket}`)).json()) as {
          conversation: { body: string }[];
        }
      ).conversation.map((entry) => entry.body);

    const decide = async (
      who: Who | null,
      approval: Approval,
      decision: string,
      options: { csrf?: string | null; hash?: string } = {},
    ) => {
      const csrf = options.csrf === undefined ? (who ? await bh.csrf(who) : "") : options.csrf;
      return bh.call(
        who,
        "POST",
        `/api/approvals/${approval.id}/decision`,
        { decision, input_hash: options.hash ?? approval.input_hash },
        csrf ? { "x-csrf-token": csrf } : {},
      );
    };

    /** Asks for a reply on the ticket; `onApproval` runs when the card arrives. */
    const askToReply = async (body: string, onApproval: (approval: Approval) => Promise<void>) => {
      bh.fake.script(reply.tool("reply_to_ticket", { id: ticket, body }), (req) =>
        reply.text(`Result: ${toolResults(req.body).at(-1)}`),
      );
      const chat = ((await (await bh.call(tech, "POST", "/api/chats", {})).json()) as { id: string }).id;
      const res = await bh.call(tech, "POST", `/api/chats/${chat}/messages`, { text: `Reply "${body}" on the ticket` });
      const events = await readEvents(res, async (event: Event) => {
        if (event.type === "approval") await onApproval(event as unknown as Approval);
      });
      return { chat, events, told: toolResults(bh.fake.requests.at(-1)!.body).at(-1)! };
    };

    test("approve: the card shows the change, Codex gets the reply, the model is told, all audited", async () => {
      const body = `Approved reply ${Date.now()}`;
      let card: Approval | undefined;
      const { chat, events, told } = await askToReply(body, async (approval) => {
        card = approval;
        expect(await conversation()).not.toContain(body);
        const res = await decide(tech, approval, "approve");
        expect(res.status).toBe(200);
      });
      expect(card!.summary.lines).toContainEqual({ field: "body", old: null, new: body });
      expect(events.find((event) => event.type === "approval_closed")).toMatchObject({ decision: "approved" });
      expect(await conversation()).toContain(body);
      expect(told).toContain('"status":201');
      const calls = (await (await bh.call(tech, "GET", `/api/chats/${chat}`)).json()) as {
        tool_calls: Record<string, unknown>[];
      };
      expect(calls.tool_calls[0]).toMatchObject({
        tool: "reply_to_ticket",
        decision: "approved",
        decided_by: "tess",
        result_status: 201,
        user: "tess",
      });
      // Replayed: the same decision again is refused and changes nothing.
      expect((await decide(tech, card!, "approve")).status).toBe(409);
      expect((await conversation()).filter((reply) => reply === body)).toHaveLength(1);
    });

    test("deny: nothing changes and the model is told it was denied", async () => {
      const body = `Denied reply ${Date.now()}`;
      const { told } = await askToReply(body, async (approval) => {
        expect((await decide(tech, approval, "deny")).status).toBe(200);
      });
      expect(await conversation()).not.toContain(body);
      expect(told).toContain("denied");
    });

    test("undecided until the timeout: counts as denied, nothing changes", async () => {
      const body = `Expired reply ${Date.now()}`;
      let card: Approval | undefined;
      const { told, events } = await askToReply(body, async (approval) => {
        card = approval;
      });
      expect(events.find((event) => event.type === "approval_closed")).toMatchObject({ decision: "expired" });
      expect(told).toContain("in time");
      expect(await conversation()).not.toContain(body);
      expect((await decide(tech, card!, "approve")).status).toBe(409);
      expect(await conversation()).not.toContain(body);
    });

    test("refused, changing nothing: another person, a service token, no CSRF token, altered input", async () => {
      const body = `Guarded reply ${Date.now()}`;
      const { told } = await askToReply(body, async (approval) => {
        expect((await decide(other, approval, "approve")).status).toBe(404);
        const service = await bh.call(
          null,
          "POST",
          `/api/approvals/${approval.id}/decision`,
          { decision: "approve", input_hash: approval.input_hash },
          {
            authorization: `Bearer ${await serviceToken()}`,
          },
        );
        expect(service.status).toBe(403);
        expect((await decide(tech, approval, "approve", { csrf: null })).status).toBe(403);
        expect((await decide(tech, approval, "approve", { csrf: "forged" })).status).toBe(403);
        expect((await decide(tech, approval, "approve", { hash: "0".repeat(64) })).status).toBe(409);
        // The stored request altered behind the card's back: its hash no longer matches, so approving is refused.
        const calls = bh.deps.db.t.toolCalls;
        const [row] = await bh.deps.db.db.select().from(calls).where(eq(calls.id, approval.id));
        const altered = { ...(row!.request as Record<string, unknown>), body: { body: "Something else" } };
        await bh.deps.db.db.update(calls).set({ request: altered }).where(eq(calls.id, approval.id));
        const res = await decide(tech, approval, "approve");
        expect(res.status).toBe(409);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe("input_changed");
        // Denied in the end, by its own person.
        expect((await decide(tech, approval, "deny")).status).toBe(409);
      });
      expect(told).toContain("in time");
      const bodies = await conversation();
      expect(bodies).not.toContain(body);
      expect(bodies).not.toContain("Something else");
    });

    test("Stop while an approval waits: it closes as stopped and nothing changes", async () => {
      const body = `Stopped reply ${Date.now()}`;
      let chatOf = "";
      const { events, chat } = await askToReply(body, async (approval) => {
        chatOf = String((await (await bh.call(tech, "GET", "/api/chats?limit=1")).json()).chats[0].id);
        expect((await (await bh.call(tech, "POST", `/api/chats/${chatOf}/stop`)).json()).stopped).toBe(true);
        expect((await decide(tech, approval, "approve")).status).toBe(409);
      });
      expect(chat).toBe(chatOf);
      expect(events.find((event) => event.type === "approval_closed")).toMatchObject({ decision: "stopped" });
      expect(events.at(-1)).toEqual({ type: "done", status: "stopped" });
      expect(await conversation()).not.toContain(body);
      bh.fake.reset(); // the answer scripted for after the tool was never asked for
    });

    test("token use is kept per answer: shown on the chat, and per person per month for admins", async () => {
      const usage = (await (await bh.call({ level: "admin", user: "ada" }, "GET", "/api/usage")).json()) as {
        usage: { user: string; month: string; input: number; output: number }[];
      };
      const tess = usage.usage.find((month) => month.user === "tess")!;
      expect(tess.month).toBe(new Date().toISOString().slice(0, 7));
      expect(tess.input).toBeGreaterThan(0);
      expect((await bh.call(tech, "GET", "/api/usage")).status).toBe(403);
    });

    /** A real service token from Core for Brainhair, as Codex would get one with its secret. */
    async function serviceToken(): Promise<string> {
      const { readSecret } = await import("@hivematrix/lib/secrets");
      const secret = readSecret(bh.platform.home, "service-codex");
      const res = await fetch(`${bh.platform.coreUrl}/service-token`, {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from(`codex:${secret}`).toString("base64")}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({ calling_service: "codex", target_service: "brainhair" }),
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { token: string }).token;
    }
  });
}
