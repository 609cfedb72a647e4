import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { seedFixture } from "./fixtures.ts";
import { ENGINES, startCodex, type CodexUnderTest } from "./harness.ts";
import { HTML, PNG, storedFiles, ticketId, uploadFile } from "./attachment-helpers.ts";

const MB = 1024 * 1024;

for (const engine of ENGINES) {
  describe(`ticket attachments through the API on ${engine}`, () => {
    let codex: CodexUnderTest;
    let acme: number;
    let beta: number;
    beforeAll(async () => {
      // A 1 MB limit keeps the over-limit uploads small.
      codex = await startCodex(engine, { CODEX_ATTACHMENT_MAX_MB: "1" });
      await seedFixture(codex.deps.db);
      acme = await ticketId(codex, "Printer jammed on floor 2");
      beta = await ticketId(codex, "VPN down for warehouse");
    });
    afterAll(() => codex.stop());

    const download = async (level: "client" | "technician", url: string) =>
      codex.app.fetch(new Request(url, { headers: { authorization: `Bearer ${await codex.token(level)}` } }));

    test("a screenshot is stored with the type its bytes say, whatever the sender claimed, and comes back as a download", async () => {
      const res = await uploadFile(codex, "client", acme, PNG, {
        filename: "screen shot.png",
        headers: { "content-type": "text/html" },
      });
      expect(res.status).toBe(201);
      const file = await res.json();
      expect(file).toMatchObject({
        ticket_id: acme,
        entry_id: null,
        filename: "screen shot.png",
        content_type: "image/png",
        size: PNG.length,
        uploaded_by_name: "client user",
      });
      expect(file.url).toBe(`/api/tickets/${acme}/attachments/${file.id}`);
      const got = await download("technician", `http://codex.test${file.url}`);
      expect(got.status).toBe(200);
      expect(got.headers.get("content-type")).toBe("image/png");
      expect(got.headers.get("content-disposition")).toBe(
        `attachment; filename="screen shot.png"; filename*=UTF-8''screen%20shot.png`,
      );
      expect(got.headers.get("x-content-type-options")).toBe("nosniff");
      expect(got.headers.get("content-security-policy")).toContain("default-src 'none'");
      expect(got.headers.get("content-security-policy")).toContain("sandbox");
      expect(new Uint8Array(await got.arrayBuffer())).toEqual(PNG);
      const ticket = await (await codex.call("client", "GET", `/api/tickets/${acme}`)).json();
      expect(ticket.attachments.map((a: { id: number }) => a.id)).toContain(file.id);
    });

    test("an HTML page named .png is served as a text download with nosniff, never as HTML", async () => {
      const file = await (await uploadFile(codex, "client", acme, HTML, { filename: "cute-cat.png" })).json();
      expect(file.content_type).toBe("text/plain; charset=utf-8");
      const got = await download("technician", `http://codex.test${file.url}`);
      expect(got.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      expect(got.headers.get("content-type")).not.toContain("html");
      expect(got.headers.get("content-disposition")).toStartWith("attachment;");
      expect(got.headers.get("x-content-type-options")).toBe("nosniff");
    });

    test("names lose paths and control characters; the stored file is named by a random key; odd names download safely", async () => {
      const cases: [string, string][] = [
        ["../../etc/passwd", "passwd"],
        ["C:\\Users\\me\\report.pdf", "report.pdf"],
        ["evil\u0007name\r\n\u001b.txt", "evilname.txt"],
        ["invoice\u202Egnp.exe", "invoicegnp.exe"],
        ["...", "attachment"],
        ["", "attachment"],
      ];
      for (const [sent, kept] of cases) {
        const file = await (await uploadFile(codex, "technician", acme, PNG, { filename: sent })).json();
        expect([sent, file.filename]).toEqual([sent, kept]);
      }
      // A NUL is refused outright, as in every field.
      expect((await uploadFile(codex, "technician", acme, PNG, { filename: "a\u0000.png" })).status).toBe(400);
      for (const path of storedFiles(codex)) expect(path).toMatch(/^[0-9a-f]{2}\/[0-9a-f-]{36}$/);
      const unicode = await (
        await uploadFile(codex, "technician", acme, PNG, { filename: 'Überweisung "März".png' })
      ).json();
      const got = await download("technician", `http://codex.test${unicode.url}`);
      expect(got.headers.get("content-disposition")).toBe(
        `attachment; filename="_berweisung _M_rz_.png"; filename*=UTF-8''%C3%9Cberweisung%20%22M%C3%A4rz%22.png`,
      );
    });

    test("a file over the limit is refused with 413, and nothing of it is left, sent with or without a length", async () => {
      const before = storedFiles(codex);
      const rows = (await (await codex.call("admin", "GET", `/api/tickets/${acme}/attachments`)).json()).items.length;
      const big = new Uint8Array(MB + 1);
      big.set(PNG);
      for (const chunked of [false, true]) {
        const res = await uploadFile(codex, "client", acme, big, { filename: "huge.png", chunked });
        expect(res.status).toBe(413);
        expect((await res.json()).error.code).toBe("payload_too_large");
      }
      const exact = new Uint8Array(MB);
      exact.set(PNG);
      expect((await uploadFile(codex, "client", acme, exact, { filename: "just-fits.png" })).status).toBe(201);
      const after = storedFiles(codex);
      expect(after.length).toBe(before.length + 1);
      expect(after.filter((path) => path.startsWith("incoming"))).toEqual([]);
      const list = (await (await codex.call("admin", "GET", `/api/tickets/${acme}/attachments`)).json()).items;
      expect(list.length).toBe(rows + 1);
    });

    test("a client can neither attach to nor read another company's ticket, whichever ids it guesses", async () => {
      const theirs = await (await uploadFile(codex, "technician", beta, PNG, { filename: "beta.png" })).json();
      const mine = await (await uploadFile(codex, "client", acme, PNG, { filename: "mine.png" })).json();
      const before = storedFiles(codex).length;
      expect((await uploadFile(codex, "client", beta, PNG, { filename: "x.png" })).status).toBe(404);
      expect(storedFiles(codex).length).toBe(before);
      for (const path of [
        `/api/tickets/${beta}/attachments`,
        `/api/tickets/${beta}/attachments/${theirs.id}`,
        `/api/tickets/${acme}/attachments/${theirs.id}`,
        `/api/tickets/${beta}/attachments/${mine.id}`,
        `/api/tickets/${acme}/attachments/999999`,
      ])
        expect([path, (await codex.call("client", "GET", path)).status]).toEqual([path, 404]);
      const listed = await (await codex.call("client", "GET", `/api/tickets/${acme}/attachments`)).json();
      expect(listed.items.map((a: { filename: string }) => a.filename)).not.toContain("beta.png");
      const other = await codex.token("client", { company: "BETA-002", user: "bob" });
      const res = await codex.app.fetch(
        new Request(`http://codex.test/api/tickets/${acme}/attachments/${mine.id}`, {
          headers: { authorization: `Bearer ${other}` },
        }),
      );
      expect(res.status).toBe(404);
    });

    test("a reply takes its uploader's files of the ticket, once; anyone else's or a used one refuses the reply", async () => {
      const one = await (await uploadFile(codex, "client", acme, PNG, { filename: "one.png" })).json();
      const staffs = await (await uploadFile(codex, "technician", acme, PNG, { filename: "staff.png" })).json();
      const replied = await codex.call("client", "POST", `/api/tickets/${acme}/replies`, {
        body: "See the screenshot",
        attachment_ids: [one.id],
      });
      expect(replied.status).toBe(201);
      const entry = await replied.json();
      const ticket = await (await codex.call("technician", "GET", `/api/tickets/${acme}`)).json();
      expect(ticket.attachments.find((a: { id: number }) => a.id === one.id).entry_id).toBe(entry.id);
      for (const ids of [[one.id], [staffs.id], [999999]]) {
        const res = await codex.call("client", "POST", `/api/tickets/${acme}/replies`, {
          body: "Again",
          attachment_ids: ids,
        });
        expect(res.status).toBe(422);
      }
      const bodies = ticket.conversation.map((e: { body: string }) => e.body);
      const after = await (await codex.call("technician", "GET", `/api/tickets/${acme}`)).json();
      expect(after.conversation.map((e: { body: string }) => e.body)).toEqual(bodies);
    });

    test("a retried upload with its Idempotency-Key stores one file", async () => {
      const before = storedFiles(codex).length;
      const headers = { "idempotency-key": "upload-retry-1" };
      const first = await uploadFile(codex, "client", acme, PNG, { filename: "retry.png", headers });
      const again = await uploadFile(codex, "client", acme, PNG, { filename: "retry.png", headers });
      expect([first.status, again.status]).toEqual([201, 201]);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      expect((await again.json()).id).toBe((await first.json()).id);
      expect(storedFiles(codex).length).toBe(before + 1);
      const other = await uploadFile(codex, "client", acme, PNG, { filename: "another.png", headers });
      expect(other.status).toBe(422);
    });

    test("the ticket exports list each ticket's attachments as links, to what the caller may see", async () => {
      const file = await (await uploadFile(codex, "client", acme, PNG, { filename: "export.png" })).json();
      const csv = await (await codex.call("client", "GET", "/api/tickets/export.csv")).text();
      expect(csv.split("\n")[0]).toContain("attachments");
      expect(csv).toContain(`/api/tickets/${acme}/attachments/${file.id}`);
      expect(csv).not.toContain("VPN down");
      const json = await (await codex.call("client", "GET", "/api/tickets/export.json")).json();
      const ticket = json.items.find((t: { id: number }) => t.id === acme);
      expect(ticket.attachments.map((a: { url: string }) => a.url)).toContain(file.url);
      expect(json.items.every((t: { company: string }) => t.company === "ACME-001")).toBe(true);
      const staff = await (await codex.call("admin", "GET", "/api/tickets/export.json")).json();
      expect(staff.items.length).toBe(3);
      const viaNexus = await codex.call("client", "GET", "/api/tickets/export.json", undefined, {
        "x-forwarded-prefix": "/codex",
        "x-forwarded-host": "hive.example.com",
        "x-forwarded-proto": "https",
      });
      const linked = (await viaNexus.json()).items.find((t: { id: number }) => t.id === acme);
      expect(linked.attachments[0].url).toStartWith(`https://hive.example.com/codex/api/tickets/${acme}/attachments/`);
    });

    test("deleting a ticket deletes its attachments' rows and files; deleting a company its tickets' too", async () => {
      const made = await (
        await codex.call("technician", "POST", "/api/tickets", { company: "GAMMA-003", subject: "Doomed" })
      ).json();
      await uploadFile(codex, "technician", made.id, PNG, { filename: "a.png" });
      await uploadFile(codex, "technician", made.id, HTML, { filename: "b.html" });
      const before = storedFiles(codex).length;
      expect((await codex.call("admin", "DELETE", `/api/tickets/${made.id}`)).status).toBe(200);
      expect(storedFiles(codex).length).toBe(before - 2);
      const files = codex.deps.db.t.ticketAttachments;
      const { eq } = await import("drizzle-orm");
      expect(await codex.deps.db.db.select().from(files).where(eq(files.ticketId, made.id))).toEqual([]);

      const gamma = await (
        await codex.call("technician", "POST", "/api/tickets", { company: "GAMMA-003", subject: "Also doomed" })
      ).json();
      await uploadFile(codex, "technician", gamma.id, PNG, { filename: "c.png" });
      const withGamma = storedFiles(codex).length;
      expect((await codex.call("admin", "DELETE", "/api/companies/GAMMA-003")).status).toBe(200);
      expect(storedFiles(codex).length).toBe(withGamma - 1);
    });
  });
}
