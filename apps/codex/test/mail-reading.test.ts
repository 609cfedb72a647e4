import { describe, expect, test } from "bun:test";
import { leaveAlone } from "../src/mail/inbound/auto.ts";
import { htmlToSafeText, parseInbound } from "../src/mail/inbound/parse.ts";
import { trimQuoted } from "../src/mail/inbound/quotes.ts";
import { REPLY_MARKER } from "../src/mail/outbox/render.ts";
import { loadSettings } from "../src/deps.ts";
import { HELPDESK, rawMail } from "./mail/helpers.ts";

const own = { addresses: [HELPDESK], messageIdDomain: "msp.example" };
const parse = (message: Parameters<typeof rawMail>[0]) => parseInbound(rawMail(message));

describe("reading an email", () => {
  test("HTML is reduced to text: no tags, scripts, styles or images; links keep their address", () => {
    const text = htmlToSafeText(
      `<html><head><style>p{color:red}</style><title>t</title></head><body>
       <h1>Printer</h1><p>It says <b>PC LOAD LETTER</b> &amp; stops.</p>
       <script>alert("x")</script><img src="http://tracker.example/p.gif" alt="pixel">
       <p><a href="https://acme.example/photo">the photo</a></p><p>a\u0000b</p></body></html>`,
    );
    expect(text).toContain("Printer");
    expect(text).toContain("It says PC LOAD LETTER & stops.");
    expect(text).toContain("the photo [https://acme.example/photo]");
    expect(text).toContain("ab");
    for (const gone of ["<", "alert", "color:red", "tracker.example", "\u0000"]) expect(text).not.toContain(gone);
  });

  test("an HTML-only message is read as text; a plain-text part is preferred when there is one", async () => {
    const html = await parse({ from: "ann@acme.example", subject: "s", html: "<p>Hello <i>there</i></p><p>Ann</p>" });
    expect(html.text).toBe("Hello there\n\nAnn");
    const plain = await parse({ from: "ann@acme.example", subject: "s", text: "just text" });
    expect(plain.text).toBe("just text");
  });

  test("quoted text is trimmed where clearly marked, and only there", () => {
    const ours = `Thanks, it works now.\n\nOn Mon, 3 Mar 2025 at 10:00, Helpdesk <${HELPDESK}> wrote:\n> ${REPLY_MARKER}\n> Hello Ann,`;
    expect(trimQuoted(ours)).toBe("Thanks, it works now.");
    const wrapped = "Fixed.\n\nOn Mon, 3 Mar 2025 at 10:00, Acme MSP Helpdesk\n<help@msp.example> wrote:\n\n> old text";
    expect(trimQuoted(wrapped)).toBe("Fixed.");
    const outlook =
      "See attached.\n\n________________________________\nFrom: Helpdesk\nSent: Monday\nSubject: [#4] x\n\nold";
    expect(trimQuoted(outlook)).toBe("See attached.");
    expect(trimQuoted("New text\n-----Original Message-----\nFrom: x")).toBe("New text");
    expect(trimQuoted("Answer below\n> your question?\nmy answer\n> more?\n> quoted")).toBe(
      "Answer below\n> your question?\nmy answer",
    );
    expect(trimQuoted("> only a quote")).toBe("> only a quote");
  });

  test("auto-replies, bulk mail, bounces and our own mail are left alone; a person's mail is not", async () => {
    const person = await parse({
      from: "ann@acme.example",
      subject: "Help",
      text: "hi",
      headers: { "Auto-Submitted": "no" },
    });
    expect(leaveAlone(person, own)).toBeNull();
    const cases: [Record<string, string>, string, string][] = [
      [{ "Auto-Submitted": "auto-replied" }, "ann@acme.example", "Auto-Submitted"],
      [{ Precedence: "bulk" }, "ann@acme.example", "Precedence"],
      [{ Precedence: "junk" }, "ann@acme.example", "Precedence"],
      [{ Precedence: "list" }, "ann@acme.example", "Precedence"],
      [{ "X-Autoreply": "yes" }, "ann@acme.example", "x-autoreply"],
      [{}, "MAILER-DAEMON@acme.example", "mailer daemon"],
      [{}, HELPDESK, "our own address"],
    ];
    for (const [headers, from, reason] of cases)
      expect(leaveAlone(await parse({ from, subject: "Out of office", text: "away", headers }), own)).toContain(reason);
    const looped = await parse({
      from: "x@y.example",
      subject: "s",
      text: "t",
      messageId: "<hm-ticket-7.0b3e1c6e-9a43-4c1f-8f57-3f1b2f0c9d11@msp.example>",
    });
    expect(leaveAlone(looped, own)).toContain("our own Message-ID");
  });

  test("mail settings: typed, checked at start-up, and a bad URL's password is never echoed", () => {
    const base = { HIVEMATRIX_HOME: "/tmp/hm-mail-settings" };
    expect(() => loadSettings({ ...base, SMTP_URL: "smtp://u:secret@mail.example:587" })).toThrow(
      "MAIL_FROM must be set",
    );
    expect(() => loadSettings({ ...base, SMTP_URL: "http://u:secret@mail.example", MAIL_FROM: HELPDESK })).toThrow(
      /SMTP_URL must start with smtp/,
    );
    try {
      loadSettings({ ...base, IMAP_URL: "ftp://u:hunter2@mail.example/INBOX", MAIL_FROM: HELPDESK });
    } catch (e) {
      expect((e as Error).message).not.toContain("hunter2");
    }
    expect(() => loadSettings({ ...base, IMAP_URL: "imap://u@mail.example/INBOX", MAIL_FROM: HELPDESK })).toThrow(
      "IMAP_URL must carry the mailbox's user and password",
    );
    expect(() => loadSettings({ ...base, MAIL_FROM: "not an address" })).toThrow("MAIL_FROM must be an email address");
    const on = loadSettings({
      ...base,
      SMTP_URL: "smtps://u:p%40ss@mail.example",
      IMAP_URL: "imaps://help%40msp.example:p%40ss@mail.example/Help%20desk",
      MAIL_FROM: `Helpdesk <${HELPDESK}>`,
    }).mail;
    expect(on.smtp?.display).toBe("smtps://mail.example:465");
    expect(on.imap).toMatchObject({ user: HELPDESK, pass: "p@ss", mailbox: "Help desk", port: 993, secure: true });
    expect(on.from).toEqual({ name: "Helpdesk", address: HELPDESK });
    expect(on.messageIdDomain).toBe("msp.example");
  });
});
