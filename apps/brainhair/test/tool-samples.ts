/**
 * One input per way a curated tool calls its app, with every field it takes set: the coverage
 * test plans each (also stretched to its input's limits) and checks the request against the
 * operation's schemas in the app's live OpenAPI document, so a tool that drifted from the app's
 * API fails there rather than in a chat.
 */
export const TOOL_SAMPLES: Record<string, Record<string, unknown>[]> = {
  list_tickets: [
    { company: "ACME-001", status: "open", priority: "high", open: true, q: "printer", limit: 10, cursor: "abc" },
  ],
  get_ticket: [{ id: 12 }],
  reply_to_ticket: [{ id: 12, body: "We have replaced the toner." }],
  add_ticket_note: [{ id: 12, body: "Toner ordered." }],
  log_ticket_time: [{ id: 12, minutes: 30, note: "On site", billable: true }],
  set_ticket_status: [{ id: 12, status: "resolved", priority: "low" }],
  assign_ticket: [
    { id: 12, assignee_id: 3 },
    { id: 12, assignee_id: null },
  ],
  search: [{ q: "printer", limit: 5 }],
  list_companies: [{ q: "acme", compliance_level: "hipaa", limit: 10, cursor: "abc" }],
  get_company: [{ acct: "ACME-001" }],
  create_company: [
    {
      account_number: "NEW-001",
      name: "New Clinic",
      description: "A clinic",
      domain: "clinic.example",
      phone: "555-0100",
      address: "1 Main St",
      notes: "Signed in May",
      compliance_level: "hipaa",
    },
  ],
  update_company: [{ acct: "ACME-001", changes: { name: "Acme Corp", phone: null, compliance_level: "standard" } }],
  list_contacts: [{ company: "ACME-001", q: "smith", limit: 10, cursor: "abc" }],
  get_contact: [{ id: 7 }],
  create_contact: [
    {
      first_name: "Jane",
      last_name: "Doe",
      email: "jane.doe@example.com",
      job_title: "Office manager",
      mobile_phone: "555-0101",
      work_phone: "555-0102",
      active: true,
      vip: false,
      companies: ["ACME-001"],
    },
  ],
  update_contact: [{ id: 7, changes: { email: null, vip: true, companies: ["ACME-001", "GLOBEX-002"] } }],
  list_assets: [{ company: "ACME-001", q: "ws", limit: 10, cursor: "abc" }],
  get_asset: [{ id: 9 }],
  create_asset: [
    {
      company: "ACME-001",
      hostname: "ACME-WS-10",
      asset_type: "workstation",
      manufacturer: "Dell",
      model: "OptiPlex 7010",
      serial_number: "ABC123",
      operating_system: "Windows 11 Pro",
      description: "Front desk",
    },
  ],
  update_asset: [{ id: 9, changes: { hostname: "ACME-WS-11", asset_type: "server", model: null } }],
  get_billing: [{ acct: "ACME-001", year: 2025, month: 6 }],
  list_billing_plans: [{}],
  set_company_plan: [{ acct: "ACME-001", plan: "Standard", term: "1_year" }],
  update_billing: [
    { acct: "ACME-001", rates: { per_user_cents: 2500, per_server_cents: null, per_hour_cents: 15000 } },
    { acct: "ACME-001", line_item: { name: "Setup", kind: "one_off", amount_cents: 50000, description: "On site" } },
  ],
  update_features: [{ acct: "ACME-001", features: { backup: "premium", antivirus: null } }],
  manage_network_equipment: [
    { acct: "ACME-001", action: "list" },
    { acct: "ACME-001", action: "add", hostname: "ACME-FW-1", billing_type: "firewall", notes: "Rack 2" },
    { acct: "ACME-001", action: "remove", item_id: 4 },
  ],
  accept_bill: [{ acct: "ACME-001", year: 2025, month: 6, notes: "Checked" }],
  service_status: [{}],
  control_service: [{ name: "codex", action: "restart" }],
  search_logs: [{ service: "codex", level: "ERROR", q: "timeout", user: "ada", from: "2h", limit: 50 }],
  security_audit: [{}],
  list_users: [{ q: "ada", max: 50 }],
  create_user: [
    {
      username: "jane.doe",
      email: "jane@example.com",
      level: "client",
      first_name: "Jane",
      last_name: "Doe",
      company: "ACME-001",
    },
  ],
  set_user_enabled: [{ id: "0b6c5c1e-1111-4222-8333-944455556666", enabled: false }],
  reset_password: [{ id: "0b6c5c1e-1111-4222-8333-944455556666" }],
  list_sessions: [{}],
  revoke_session: [{ id: "a1B2c3D4e5F6g7H8" }],
};

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  anyOf?: Schema[];
  maxLength?: number;
  minLength?: number;
  maximum?: number;
  minimum?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
};

const typeOf = (value: unknown) =>
  value === null ? "null" : Array.isArray(value) ? "array" : Number.isInteger(value) ? "integer" : typeof value;

/** The branch of an anyOf that a value takes (a nullable or a union of a string and a number). */
function branchFor(schema: Schema, value: unknown): Schema {
  if (!schema.anyOf) return schema;
  const kind = typeOf(value);
  return schema.anyOf.find((option) => [option.type].flat().includes(kind)) ?? schema;
}

/**
 * The sample at its input schema's edge: every free-text string (no pattern, enum or format) at
 * its longest (`edge` "max") or shortest ("min"), every integer at its largest or smallest.
 */
export function stretch(schema: object, value: unknown, edge: "max" | "min"): unknown {
  const own = branchFor(schema as Schema, value);
  if (Array.isArray(value)) return value.map((item) => (own.items ? stretch(own.items, item, edge) : item));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      const extra = typeof own.additionalProperties === "object" ? own.additionalProperties : undefined;
      const fieldSchema = own.properties?.[key] ?? extra;
      out[key] = fieldSchema ? stretch(fieldSchema, field, edge) : field;
    }
    return out;
  }
  if (typeof value === "string" && !own.pattern && !own.enum && !own.format) {
    const length = edge === "max" ? own.maxLength : own.minLength;
    return length === undefined ? value : "x".repeat(length);
  }
  if (Number.isInteger(value)) return (edge === "max" ? own.maximum : own.minimum) ?? value;
  return value;
}
