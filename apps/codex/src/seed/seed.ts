import { count } from "drizzle-orm";
import type { CodexDb } from "../deps.ts";
import { CLOSED_STATUSES, TICKET_STATUSES } from "../db/schema.ts";
import { SLA_MINUTES } from "../tickets/data.ts";
import { TB } from "../billing/engine/types.ts";
import { inTransaction, insertRows, syncSequences, withoutSearchTriggers, type RawRow } from "./write.ts";

/**
 * Demo data: a realistic MSP. "demo" is what a fresh install shows (25 companies, ~300
 * contacts, ~1,000 assets, ~3,000 tickets with conversations and time); "large" is for the
 * benchmark (1,000 companies, 10,000 contacts, 100,000 assets, 1,000,000 tickets).
 * Deterministic: the same scale always produces the same data.
 */
export type Scale = "demo" | "large";

const SCALES = {
  demo: { companies: 25, contactsPer: 12, assetsPer: 40, ticketsPer: 120, entriesPer: 3, timeShare: 0.6 },
  large: { companies: 1000, contactsPer: 10, assetsPer: 100, ticketsPer: 1000, entriesPer: 1, timeShare: 0.3 },
} as const;

const DEMO_COMPANIES = [
  "Acme Dental",
  "Brightwater Logistics",
  "Cedar Grove Law",
  "Dunmore Architects",
  "Evergreen Clinic",
  "Foxglove Bakery",
  "Granite Peak Engineering",
  "Harbor View Realty",
  "Ironwood Manufacturing",
  "Juniper Accounting",
  "Kestrel Insurance",
  "Lakeside Veterinary",
  "Maple Street Pharmacy",
  "Northwind Traders",
  "Oakridge Schools",
  "Pinecrest Hotels",
  "Quarry Hill Construction",
  "Riverbend Credit Union",
  "Summit Physical Therapy",
  "Tidewater Marine",
  "Union Square Dental",
  "Valley Orthopedics",
  "Westfield Auto Group",
  "Yellowstone Outfitters",
  "Zephyr Media",
];
const WORDS_A = [
  "Alder",
  "Birch",
  "Cobalt",
  "Delta",
  "Ember",
  "Falcon",
  "Garnet",
  "Hollow",
  "Indigo",
  "Jasper",
  "Kite",
  "Lumen",
  "Meadow",
  "Nimbus",
  "Orchid",
  "Prairie",
  "Quartz",
  "Raven",
  "Sable",
  "Thistle",
];
const WORDS_B = [
  "Dental",
  "Logistics",
  "Law",
  "Clinic",
  "Bakery",
  "Engineering",
  "Realty",
  "Accounting",
  "Insurance",
  "Pharmacy",
  "Traders",
  "Hotels",
  "Construction",
  "Marine",
  "Media",
  "Partners",
];
const FIRST = [
  "Ann",
  "Ben",
  "Carla",
  "Dev",
  "Elena",
  "Frank",
  "Grace",
  "Hiro",
  "Imani",
  "Jonas",
  "Kara",
  "Luis",
  "Maya",
  "Noah",
  "Olga",
  "Priya",
  "Quinn",
  "Rosa",
  "Sam",
  "Tara",
  "Umar",
  "Vera",
  "Will",
  "Xena",
  "Yusuf",
  "Zoe",
];
const LAST = [
  "Archer",
  "Baker",
  "Chen",
  "Diaz",
  "Evans",
  "Fischer",
  "Garcia",
  "Hughes",
  "Ito",
  "Jensen",
  "Khan",
  "Lopez",
  "Moreau",
  "Novak",
  "Okafor",
  "Patel",
  "Quist",
  "Rossi",
  "Singh",
  "Tanaka",
  "Ueda",
  "Vargas",
  "Walsh",
  "Young",
  "Zhou",
];
const TITLES = [
  "Office manager",
  "Owner",
  "Receptionist",
  "Accountant",
  "Sales lead",
  "Operations director",
  "Hygienist",
  "Paralegal",
  "Engineer",
  "Nurse",
];
const SUBJECTS = [
  "Printer not printing on floor 2",
  "Outlook keeps asking for a password",
  "VPN disconnects every few minutes",
  "New starter laptop setup",
  "Cannot open shared drive",
  "Teams calls drop audio",
  "Phishing email reported",
  "Password reset for",
  "Scanner to email not working",
  "Wi-Fi slow in conference room",
  "Backup job failed overnight",
  "Server disk almost full",
  "Replace failing monitor",
  "Install accounting software update",
  "Mailbox over quota",
  "MFA phone lost",
  "Firewall firmware update",
  "Switch port flapping",
  "Remove leaver accounts",
  "QuickBooks will not start",
];
const REPLIES = [
  "Thanks, I am looking into it now.",
  "Could you send a screenshot of the error?",
  "That should be fixed; please try again.",
  "Scheduled for this afternoon.",
  "Closing this as resolved; reply if it comes back.",
];
const NOTES = [
  "Checked event log: driver crash.",
  "Vendor ticket opened.",
  "Replaced the toner; test page fine.",
  "Waiting on the client to confirm.",
  "Pushed fix through RMM script.",
];
const OS = {
  workstation: ["Windows 11 Pro", "Windows 10 Pro", "macOS 15"],
  server: ["Windows Server 2022", "Windows Server 2019", "Ubuntu 24.04"],
  vm: ["Windows Server 2022 (VM)", "Ubuntu 22.04 (VM)"],
  switch: ["Network switch"],
  firewall: ["FortiOS 7.4", "pfSense 2.7"],
  other: ["Printer"],
} as const;

/** Small fast deterministic PRNG (mulberry32). */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}

const pad = (n: number, w: number) => String(n).padStart(w, "0");
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "");

export async function isEmpty(h: CodexDb): Promise<boolean> {
  const [row] = await h.db.select({ n: count() }).from(h.t.companies);
  return Number(row?.n ?? 0) === 0;
}

export interface SeedSummary {
  scale: Scale;
  companies: number;
  contacts: number;
  assets: number;
  tickets: number;
  ms: number;
}

/** Fills an empty database with demo data. */
export async function seed(h: CodexDb, scale: Scale = "demo", now = new Date()): Promise<SeedSummary> {
  const started = performance.now();
  const cfg = SCALES[scale];
  const r = rng(scale === "demo" ? 42 : 4242);
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000);
  const counts = { companies: 0, contacts: 0, assets: 0, tickets: 0 };

  await withoutSearchTriggers(h, async () => {
    // Transactions per company keep the write-ahead log small during a million-row load.
    const companyRows: RawRow[] = [];
    const plans: RawRow[] = [];
    const base = (id: number, d: Date) => ({ id, created_at: d, updated_at: d });
    await inTransaction(h, async (tx) => {
      plans.push(
        ...[
          [
            "Essential",
            "month_to_month",
            "Billed Hourly",
            1000,
            2500,
            9000,
            5000,
            800,
            2000,
            15000,
            0,
            0,
            2000,
            4500,
            1,
            1500,
          ],
          [
            "Professional",
            "1_year",
            "Business Hours",
            1500,
            3500,
            12000,
            6000,
            1000,
            2500,
            12500,
            120,
            0,
            2500,
            5000,
            1,
            1500,
          ],
          ["Enterprise", "2_year", "24x7", 2500, 4500, 15000, 7500, 1500, 3500, 11000, 240, 1200, 2500, 5000, 2, 1200],
          ["Hourly", "month_to_month", "Billed Hourly", 0, 0, 0, 0, 0, 0, 17500, 0, 0, 2500, 5000, 1, 1500],
        ].map((p, i) => ({
          ...base(i + 1, at(400)),
          name: p[0]!,
          term: p[1]!,
          support_level: p[2]!,
          per_user_cents: p[3]!,
          per_workstation_cents: p[4]!,
          per_server_cents: p[5]!,
          per_vm_cents: p[6]!,
          per_switch_cents: p[7]!,
          per_firewall_cents: p[8]!,
          per_hour_cents: p[9]!,
          prepaid_minutes_monthly: p[10]!,
          prepaid_minutes_yearly: p[11]!,
          backup_base_workstation_cents: p[12]!,
          backup_base_server_cents: p[13]!,
          backup_included_tb: p[14]!,
          backup_per_tb_cents: p[15]!,
        })),
      );
      await insertRows(tx, "billing_plans", plans);
      await insertRows(tx, "feature_categories", [
        { id: 1, key: "antivirus", name: "Antivirus", description: "Endpoint protection", created_at: at(400) },
        { id: 2, key: "email_security", name: "Email security", description: null, created_at: at(400) },
        { id: 3, key: "backup", name: "Backup", description: null, created_at: at(400) },
      ]);
      const options: [number, string, string][] = [
        [1, "defender", "Microsoft Defender"],
        [1, "sentinelone", "SentinelOne"],
        [2, "proofpoint", "Proofpoint"],
        [2, "mimecast", "Mimecast"],
        [3, "datto", "Datto BCDR"],
        [3, "none", "Not included"],
      ];
      await insertRows(
        tx,
        "feature_options",
        options.map(([cat, value, name], i) => ({
          id: i + 1,
          category_id: cat,
          value,
          display_name: name,
          description: null,
          created_at: at(400),
        })),
      );
      await insertRows(tx, "plan_features", [
        { plan_id: 1, category_id: 1, option_id: 1 },
        { plan_id: 2, category_id: 1, option_id: 2 },
        { plan_id: 2, category_id: 2, option_id: 3 },
        { plan_id: 3, category_id: 1, option_id: 2 },
        { plan_id: 3, category_id: 2, option_id: 4 },
        { plan_id: 3, category_id: 3, option_id: 5 },
      ]);
      await insertRows(
        tx,
        "agents",
        [
          ["admin", "Alex Admin", "admin@msp.example"],
          ["tech", "Terry Tech", "tech@msp.example"],
          ["billing", "Bea Billing", "billing@msp.example"],
          ["jdoe", "Jordan Doe", "jordan@msp.example"],
          ["mlee", "Morgan Lee", "morgan@msp.example"],
        ].map(([u, n, e], i) => ({
          ...base(i + 1, at(300)),
          idp_user_id: null,
          username: u!,
          email: e!,
          name: n!,
          enabled: true,
          theme: "system",
          home_page: "nexus",
          external_id: null,
          external_source: null,
          last_synced_at: null,
        })),
      );

      for (let i = 0; i < cfg.companies; i++) {
        const name =
          scale === "demo"
            ? DEMO_COMPANIES[i]!
            : `${WORDS_A[i % WORDS_A.length]} ${WORDS_B[Math.floor(i / WORDS_A.length) % WORDS_B.length]} ${Math.floor(i / (WORDS_A.length * WORDS_B.length)) + 1}`;
        const acct =
          i === 0
            ? "ACME-001"
            : scale === "demo"
              ? `${name
                  .replace(/[^A-Za-z]/g, "")
                  .slice(0, 4)
                  .toUpperCase()}-${pad(i + 1, 3)}`
              : `CO-${pad(i + 1, 5)}`;
        const planId = i % 7 === 6 ? null : (i % 4) + 1;
        companyRows.push({
          ...base(i + 1, at(r.int(200, 900))),
          account_number: acct,
          name,
          description: null,
          domain: `${slug(name)}.example`,
          domains: [`${slug(name)}.example`],
          billing_plan_id: planId,
          contract_term: planId ? (plans[planId - 1]!.term as string) : null,
          contract_start: `${now.getUTCFullYear() - 1}-01-01`,
          // Every eighth contract ends within the next two months, so the billing dashboard has renewals to show.
          contract_end:
            i % 8 === 3
              ? at(-(5 + (i % 50)))
                  .toISOString()
                  .slice(0, 10)
              : `${now.getUTCFullYear() + 1}-12-31`,
          compliance_level: i % 9 === 0 ? "hipaa" : i % 13 === 5 ? "cjis" : "standard",
          phone: `555-${pad(1000 + i, 4)}`,
          address: `${r.int(1, 999)} Main Street`,
          notes: null,
          email_system: r.pick(["Microsoft 365", "Google Workspace"]),
          phone_system: r.pick(["Teams Phone", "RingCentral", "3CX"]),
          head_name: null,
          prime_user_name: null,
          rmm_portal_url: null,
          external_id: null,
          external_source: null,
        });
      }
      await insertRows(tx, "companies", companyRows);
      counts.companies = companyRows.length;
      await insertRows(
        tx,
        "locations",
        companyRows.map((c, i) => ({
          ...base(i + 1, at(300)),
          company_id: c.id as number,
          name: "Main office",
          address: c.address as string,
          phone: c.phone as string,
          external_id: null,
          external_source: null,
        })),
      );

      let contactId = 0;
      const contacts: RawRow[] = [];
      const links: RawRow[] = [];
      for (const c of companyRows) {
        for (let k = 0; k < cfg.contactsPer; k++) {
          contactId++;
          const first = r.pick(FIRST);
          const last = r.pick(LAST);
          contacts.push({
            ...base(contactId, at(r.int(30, 600))),
            name: `${first} ${last}`,
            first_name: first,
            last_name: last,
            email: `${first}.${last}.${contactId}@${c.domain}`.toLowerCase(),
            secondary_emails: [],
            job_title: r.pick(TITLES),
            mobile_phone: `555-${pad(r.int(0, 9999), 4)}`,
            work_phone: null,
            address: null,
            time_zone: "America/New_York",
            notes: null,
            active: r.chance(0.93),
            vip: k === 0,
            external_id: null,
            external_source: null,
          });
          links.push({ contact_id: contactId, company_id: c.id as number });
        }
      }
      await insertRows(tx, "contacts", contacts);
      await insertRows(tx, "contact_companies", links);
      counts.contacts = contacts.length;
    });

    let assetId = 0;
    for (const c of companyRows) {
      const assets: RawRow[] = [];
      const prefix = String(c.account_number).split("-")[0];
      for (let k = 0; k < cfg.assetsPer; k++) {
        assetId++;
        const roll = r.next();
        const type =
          roll < 0.7
            ? "workstation"
            : roll < 0.78
              ? "server"
              : roll < 0.86
                ? "vm"
                : roll < 0.91
                  ? "switch"
                  : roll < 0.95
                    ? "firewall"
                    : "other";
        const code = { workstation: "WS", server: "SRV", vm: "VM", switch: "SW", firewall: "FW", other: "PRN" }[type];
        const backedUp = type === "server" || type === "vm" || (type === "workstation" && r.chance(0.2));
        assets.push({
          ...base(assetId, at(r.int(1, 700))),
          company_id: c.id as number,
          location_id: c.id as number,
          hostname: `${prefix}-${code}-${pad(k + 1, 3)}`,
          asset_type: type,
          hardware_type: type === "vm" ? "Virtual machine" : type,
          device_type: null,
          manufacturer: r.pick(["Dell", "HP", "Lenovo", "Apple", "Cisco", "Fortinet"]),
          model: null,
          serial_number: `SN${pad(assetId, 8)}`,
          operating_system: r.pick(OS[type]),
          description: null,
          last_logged_in_user: type === "workstation" ? `${r.pick(FIRST).toLowerCase()}` : null,
          rmm_site_name: c.name as string,
          antivirus_product: r.pick(["Defender", "SentinelOne"]),
          patch_status: r.pick(["Up to date", "Pending reboot", "Missing updates"]),
          internal_ip: `10.${(c.id as number) % 250}.${Math.floor(k / 250)}.${(k % 250) + 1}`,
          external_ip: null,
          domain: null,
          portal_url: null,
          web_remote_url: null,
          online: r.chance(0.8),
          last_seen_at: at(r.next() * 3),
          last_reboot_at: at(r.int(1, 30)),
          last_audit_at: at(r.int(1, 7)),
          backed_up: backedUp,
          backup_bytes: backedUp ? Math.floor(r.next() * (type === "workstation" ? 0.4 : 2.5) * TB) : 0,
          custom_fields: {},
          external_id: null,
          external_source: null,
        });
      }
      await inTransaction(h, (tx) => insertRows(tx, "assets", assets));
      counts.assets += assets.length;
    }

    let ticketId = 0;
    let entryId = 0;
    let timeId = 0;
    const open = TICKET_STATUSES.filter((s) => !(CLOSED_STATUSES as readonly string[]).includes(s));
    for (const c of companyRows) {
      const tickets: RawRow[] = [];
      const entries: RawRow[] = [];
      const times: RawRow[] = [];
      const firstContact = ((c.id as number) - 1) * cfg.contactsPer + 1;
      for (let k = 0; k < cfg.ticketsPer; k++) {
        ticketId++;
        const age = r.next() * 365;
        const created = at(age);
        const priority = r.pick(["low", "medium", "medium", "high", "urgent"] as const);
        const closed = age > 14 ? r.chance(0.95) : r.chance(0.4);
        const closedAt = closed ? new Date(created.getTime() + r.int(1, 72) * 3_600_000) : null;
        const subject = r.pick(SUBJECTS);
        const requester = firstContact + r.int(0, cfg.contactsPer - 1);
        const sla = SLA_MINUTES[priority];
        tickets.push({
          id: ticketId,
          company_id: c.id as number,
          ticket_number: `T-${pad(ticketId, 7)}`,
          subject: subject === "Password reset for" ? `Password reset for ${r.pick(FIRST)}` : subject,
          description: `${subject}. Reported by phone.`,
          status: closed ? r.pick(["closed", "resolved"] as const) : r.pick(open),
          priority,
          status_id: null,
          priority_id: null,
          ticket_type: "Incident",
          requester_id: requester,
          requester_name: null,
          requester_email: null,
          assignee_id: r.int(1, 5),
          group_name: "Service desk",
          first_response_due_at: new Date(created.getTime() + sla.response * 60_000),
          due_at: new Date(created.getTime() + sla.resolve * 60_000),
          first_responded_at: new Date(created.getTime() + r.int(5, 240) * 60_000),
          // Open tickets last heard from us 0–5 days ago (derived from the id, so the random sequence, and the rest of the demo, stay as they were).
          agent_responded_at: closed
            ? null
            : new Date(Math.max(created.getTime(), now.getTime() - ((ticketId * 7) % 120) * 3_600_000)),
          closed_at: closedAt,
          total_minutes: 0,
          external_id: null,
          external_source: null,
          created_at: created,
          updated_at: closedAt ?? created,
        });
        const n = scale === "demo" ? r.int(1, cfg.entriesPer) : r.chance(0.2) ? 1 : 0;
        for (let e = 0; e < n; e++) {
          entryId++;
          const note = e > 0 && r.chance(0.4);
          entries.push({
            id: entryId,
            ticket_id: ticketId,
            kind: note ? "note" : "reply",
            body: note ? r.pick(NOTES) : r.pick(REPLIES),
            author_name: r.pick(["Terry Tech", "Jordan Doe", "Morgan Lee"]),
            author_email: null,
            incoming: false,
            external_id: null,
            external_source: null,
            created_at: new Date(created.getTime() + (e + 1) * 1_800_000),
          });
        }
        if (r.chance(cfg.timeShare)) {
          const minutes = r.pick([15, 30, 30, 45, 60, 90, 120]);
          timeId++;
          times.push({
            id: timeId,
            ticket_id: ticketId,
            company_id: c.id as number,
            minutes,
            logged_at: new Date(created.getTime() + 3_600_000),
            agent_name: "Terry Tech",
            note: null,
            billable: true,
            external_id: null,
            external_source: null,
            created_at: created,
          });
          tickets[tickets.length - 1]!.total_minutes = minutes;
        }
      }
      await inTransaction(h, async (tx) => {
        await insertRows(tx, "tickets", tickets);
        await insertRows(tx, "ticket_entries", entries);
        await insertRows(tx, "ticket_time_entries", times);
      });
      counts.tickets += tickets.length;
    }

    await inTransaction(h, async (tx) => {
      await insertRows(tx, "company_billing_overrides", [
        {
          company_id: 2,
          per_user_cents: 1200,
          per_workstation_cents: null,
          per_server_cents: null,
          per_vm_cents: null,
          per_switch_cents: null,
          per_firewall_cents: null,
          per_hour_cents: 10000,
          prepaid_minutes_monthly: null,
          prepaid_minutes_yearly: null,
          backup_base_workstation_cents: null,
          backup_base_server_cents: null,
          backup_included_tb: null,
          backup_per_tb_cents: null,
          updated_at: at(60),
        },
        {
          company_id: 5,
          per_user_cents: null,
          per_workstation_cents: 3000,
          per_server_cents: 11000,
          per_vm_cents: null,
          per_switch_cents: null,
          per_firewall_cents: null,
          per_hour_cents: null,
          prepaid_minutes_monthly: 180,
          prepaid_minutes_yearly: null,
          backup_base_workstation_cents: null,
          backup_base_server_cents: null,
          backup_included_tb: 2,
          backup_per_tb_cents: null,
          updated_at: at(60),
        },
      ]);
      await insertRows(tx, "asset_billing_overrides", [
        { asset_id: 1, billing_type: "no_charge", custom_cents: null, updated_at: at(30) },
        { asset_id: cfg.assetsPer + 1, billing_type: "custom", custom_cents: 1999, updated_at: at(30) },
      ]);
      const month = now.getUTCMonth() + 1;
      await insertRows(tx, "line_items", [
        {
          id: 1,
          company_id: 1,
          name: "Firewall monitoring",
          description: null,
          kind: "monthly",
          amount_cents: 4900,
          year: null,
          month: null,
          created_at: at(90),
          updated_at: at(90),
        },
        {
          id: 2,
          company_id: 1,
          name: "Domain renewal",
          description: "acmedental.example",
          kind: "yearly",
          amount_cents: 2500,
          year: null,
          month,
          created_at: at(90),
          updated_at: at(90),
        },
        {
          id: 3,
          company_id: 2,
          name: "Onboarding project",
          description: null,
          kind: "one_off",
          amount_cents: 150000,
          year: now.getUTCFullYear(),
          month,
          created_at: at(10),
          updated_at: at(10),
        },
        {
          id: 4,
          company_id: 3,
          name: "Microsoft 365 licences",
          description: "20 × Business Premium",
          kind: "monthly",
          amount_cents: 44000,
          year: null,
          month: null,
          created_at: at(200),
          updated_at: at(200),
        },
      ]);
      await insertRows(tx, "manual_assets", [
        {
          id: 1,
          company_id: 1,
          hostname: "Reception label printer",
          billing_type: "workstation",
          custom_cents: null,
          notes: "Not in the RMM",
          created_at: at(45),
          updated_at: at(45),
        },
        {
          id: 2,
          company_id: 2,
          hostname: "Warehouse camera NVR",
          billing_type: "custom",
          custom_cents: 2500,
          notes: null,
          created_at: at(45),
          updated_at: at(45),
        },
      ]);
      await insertRows(tx, "manual_users", [
        {
          id: 1,
          company_id: 1,
          name: "Visiting hygienist",
          billing_type: "free",
          custom_cents: null,
          notes: "Shared login",
          created_at: at(45),
          updated_at: at(45),
        },
      ]);
    });
  });
  await syncSequences(h, [
    "billing_plans",
    "feature_categories",
    "feature_options",
    "agents",
    "companies",
    "locations",
    "contacts",
    "assets",
    "tickets",
    "ticket_entries",
    "ticket_time_entries",
    "line_items",
    "manual_assets",
    "manual_users",
  ]);
  if (h.engine === "sqlite") h.sqlite!.exec("ANALYZE");
  else await h.pg!.unsafe("ANALYZE");
  return { scale, ...counts, ms: Math.round(performance.now() - started) };
}
