import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { clearData } from "../src/admin/data-clear.ts";
import { seedFixture } from "./fixtures.ts";
import { ENGINES, startCodex, type CodexUnderTest } from "./harness.ts";
import { HTML, PNG, postForm, storedFiles, ticketId } from "./attachment-helpers.ts";

const MB = 1024 * 1024;

for (const engine of ENGINES) {
  describe(`ticket attachments on the pages on ${engine}`, () => {
    let codex: CodexUnderTest;
    let acme: number;
    let beta: number;
    beforeAll(async () => {
      codex = await startCodex(engine, { CODEX_ATTACHMENT_MAX_MB: "1" });
      await seedFixture(codex.deps.db);
      acme = await ticketId(codex, "Printer jammed on floor 2");
      beta = await ticketId(codex, "VPN down for warehouse");
    });
    afterAll(() => codex.stop());

    const html = async (level: "client" | "technician", path: string) =>
      (await codex.call(level, "GET", path, undefined, { accept: "text/html" })).text();

    test("a client opens a ticket with a screenshot; the technician sees the file and who opened it", async () => {
      const res = await postForm(
        codex,
        "client",
        "/tickets",
        { subject: "Printer error on screen", priority: "high", description: "See attached" },
        [{ name: "error.png", bytes: PNG, type: "image/png" }],
      );
      expect(res.status).toBe(303);
      const id = Number(/\/tickets\/(\d+)/.exec(res.headers.get("location")!)![1]);
      const ticket = await (await codex.call("technician", "GET", `/api/tickets/${id}`)).json();
      expect(ticket.attachments).toMatchObject([{ filename: "error.png", content_type: "image/png", entry_id: null }]);
      const page = await html("technician", `/tickets/${id}`);
      expect(page).toContain("error.png");
      expect(page).toContain(`/api/tickets/${id}/attachments/${ticket.attachments[0].id}`);
      expect(page).toContain("client@msp.example");
    });

    test("a reply brings its files; a too-large one is named on the form and nothing of the reply is kept", async () => {
      const ok = await postForm(codex, "client", `/tickets/${acme}/reply`, { body: "Two files", form: "reply" }, [
        { name: "log.txt", bytes: new TextEncoder().encode("error 42\n") },
        { name: "page.html", bytes: HTML, type: "text/html" },
      ]);
      expect(ok.status).toBe(303);
      const ticket = await (await codex.call("client", "GET", `/api/tickets/${acme}`)).json();
      const reply = ticket.conversation.find((e: { body: string }) => e.body === "Two files");
      const files = ticket.attachments.filter((a: { entry_id: number }) => a.entry_id === reply.id);
      expect(files.map((a: { content_type: string }) => a.content_type)).toEqual([
        "text/plain; charset=utf-8",
        "text/plain; charset=utf-8",
      ]);
      expect(await html("client", `/tickets/${acme}`)).toContain("page.html");

      const before = storedFiles(codex);
      const big = new Uint8Array(MB + 10);
      const refused = await postForm(codex, "client", `/tickets/${acme}/reply`, { body: "Too big", form: "reply" }, [
        { name: "small.png", bytes: PNG },
        { name: "movie.mp4", bytes: big },
      ]);
      expect(refused.status).toBe(413);
      const text = await refused.text();
      expect(text).toContain("movie.mp4 is larger than 1 MB");
      expect(text).toContain("Too big");
      expect(storedFiles(codex)).toEqual(before);
      const after = await (await codex.call("client", "GET", `/api/tickets/${acme}`)).json();
      expect(after.conversation.map((e: { body: string }) => e.body)).not.toContain("Too big");
    });

    test("a form without its CSRF token, or for another company's ticket, keeps nothing", async () => {
      const before = storedFiles(codex);
      const forged = await postForm(
        codex,
        "client",
        `/tickets/${acme}/reply`,
        { body: "Forged" },
        [{ name: "x.png", bytes: PNG }],
        { csrf: false },
      );
      expect(forged.status).toBe(403);
      const foreign = await postForm(codex, "client", `/tickets/${beta}/reply`, { body: "Not mine" }, [
        { name: "x.png", bytes: PNG },
      ]);
      expect(foreign.status).toBe(404);
      const made = await postForm(codex, "client", "/tickets", { subject: "x", company: "BETA-002" }, [
        { name: "x.png", bytes: PNG },
      ]);
      expect(made.status).toBe(403);
      expect(await made.text()).toContain("Choose the files again");
      expect(storedFiles(codex)).toEqual(before);
    });

    test("clearing tickets (admin's Clear data) removes every attachment's file", async () => {
      expect(storedFiles(codex).length).toBeGreaterThan(0);
      const cleared = await clearData(codex.deps.db, "tickets", { name: "admin" });
      await codex.deps.attachments.remove(cleared.files);
      expect(storedFiles(codex)).toEqual([]);
    });
  });
}
