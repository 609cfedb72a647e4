import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { reply } from "@hivematrix/lib/testing/fake-anthropic";
import { type BrainhairUnderTest, ENGINES, readEvents, startBrainhair, type Who } from "./harness.ts";

setDefaultTimeout(90_000);

/** Identifiers in a hipaa clinic's ticket; none may reach the model, whichever way it reads them. */
const IDENTIFIERS = {
  name: "Hollis",
  dob: "03/14/1958",
  mrn: "00482913",
  phone: "555-0187",
  email: "margaret.hollis@gmail.com",
  street: "1428 Elm Street",
  zip: "97477",
  ssn: "536-22-8741",
  member: "XJH448211902",
  npi: "1245319599",
  ip: "10.20.30.40",
};
const DESCRIPTION =
  "Patient Margaret Hollis (DOB 03/14/1958, MRN 00482913) called from (503) 555-0187 " +
  `about her portal login.
Her email is margaret.hollis@gmail.com; home address 1428 Elm Street, Springfield, OR 97477.
SSN on file 536-22-8741, member ID XJH448211902, referring provider NPI 1245319599.
Workstation FRONT-DESK-02 at 10.20.30.40 shows error 0x80070005 after KB5034441.`;

for (const engine of ENGINES) {
  describe(`a hipaa company's data never reaches the model unfiltered (${engine})`, () => {
    let bh: BrainhairUnderTest;
    const admin: Who = { level: "admin", user: "ada" };
    const tech: Who = { level: "technician", user: "tess" };
    const acct = `CLINIC-${engine.toUpperCase()}`;
    let ticket: number;

    beforeAll(async () => {
      bh = await startBrainhair(engine);
      const company = await bh.appCall("codex", admin, "POST", "/api/companies", {
        account_number: acct,
        name: "Mercy Family Clinic",
        compliance_level: "hipaa",
      });
      expect(company.status).toBe(201);
      const made = await bh.appCall("codex", admin, "POST", "/api/tickets", {
        company: acct,
        subject: "Portal login for Margaret Hollis",
        description: DESCRIPTION,
      });
      expect(made.status).toBe(201);
      ticket = ((await made.json()) as { id: number }).id;
      const note = await bh.appCall("codex", tech, "POST", `/api/tickets/${ticket}/notes`, {
        body: "Called Margaret Hollis back on (503) 555-0187; she confirmed DOB 03/14/1958.",
      });
      expect(note.status).toBe(201);
    });
    afterAll(() => bh.stop());

    test("tool results of every shape and the person's words are filtered at hipaa; each message says so", async () => {
      bh.fake.script(
        reply.tool("get_ticket", { id: ticket }),
        reply.tool("list_tickets", { company: acct }),
        reply.tool("search", { q: "portal login" }),
        reply.tool("get_company", { acct }),
        reply.text("Her portal login needs a reset."),
      );
      const opened = await bh.call(tech, "POST", "/api/chats", {
        ticket: String(ticket),
        text: "Margaret Hollis again",
      });
      expect(opened.status).toBe(201);
      const chat = (await opened.json()) as { id: string; title: string; context: { level: string; company: string } };
      expect(chat.context).toMatchObject({ level: "hipaa", company: acct });
      expect(chat.title).not.toContain("Hollis");
      const events = await readEvents(
        await bh.call(tech, "POST", `/api/chats/${chat.id}/messages`, {
          text: "Margaret Hollis (SSN 536-22-8741) says her phone is (503) 555-0187. Why can't she log in?",
        }),
      );
      expect(events.at(-1)).toEqual({ type: "done", status: "done" });
      expect(bh.fake.requests).toHaveLength(5);
      const sent = bh.fake.requests.map((request) => request.raw).join("\n");
      for (const [what, value] of Object.entries(IDENTIFIERS))
        expect({ what, found: sent.includes(value) }).toEqual({ what, found: false });
      // What IT work needs survives, and the clinic is not taken for a person.
      expect(sent).toContain("0x80070005");
      expect(sent).toContain("KB5034441");
      expect(sent).toContain("Mercy Family Clinic");
      expect(sent).toContain("Margaret H.");
      const detail = (await (await bh.call(tech, "GET", `/api/chats/${chat.id}`)).json()) as {
        messages: { role: string; text: string; was_filtered: boolean; filter_levels: string[] }[];
      };
      const [mine] = detail.messages;
      // The person sees what they wrote; the model got it filtered.
      expect(mine).toMatchObject({ role: "user", was_filtered: true, filter_levels: ["hipaa"] });
      expect(mine!.text).toContain("Hollis");
      for (const results of detail.messages.filter((message) => message.role === "tool_results"))
        expect(results).toMatchObject({ was_filtered: true, filter_levels: ["hipaa"] });
      expect(
        detail.messages.filter((message) => message.role === "assistant").every((message) => !message.was_filtered),
      ).toBe(true);
    });
  });
}
