import { isIP } from "node:net";
import { z } from "zod";
import { TICKET_PRIORITIES, TICKET_STATUSES } from "../db/schema.ts";
import { dattoBaseUrl } from "./datto/client.ts";
import { freshserviceBaseUrl } from "./freshservice/client.ts";
import { cronProblem } from "./scheduler.ts";
import { COMPANY_FIELDS, JOB_KINDS, UDF_NAME } from "./settings.ts";

/** The integrations page's forms: what each field accepts, with the message shown next to it otherwise. */

const checkbox = z.literal("on").optional();
const lines = (s: string) =>
  s
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

type LineCheck = (key: string, value: string) => string | null;

/** "key=value" lines → a map; `check` reads one line and says what is wrong with it, if anything. */
function parseLines(text: string, check: LineCheck, shape: string, ctx: z.RefinementCtx): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines(text)) {
    const m = /^([^=\s]+)\s*=\s*(.+)$/.exec(line);
    const problem = m ? check(m[1]!, m[2]!.trim()) : `"${line}" is not ${shape}.`;
    if (problem) {
      ctx.addIssue({ code: "custom", message: problem });
      return {};
    }
    out[m![1]!] = m![2]!.trim();
  }
  return out;
}

const linesField = (check: LineCheck, shape: string) =>
  z.string().transform((text, ctx) => parseLines(text, check, shape, ctx));

/** A lines field older forms may not send: absent keeps what is stored. */
const optionalLinesField = (check: LineCheck, shape: string) =>
  z
    .string()
    .optional()
    .transform((text, ctx) => (text === undefined ? undefined : parseLines(text, check, shape, ctx)));

/** "id=name" lines → a map, every name checked against `allowed`. */
function mapField(allowed: readonly string[], what: string) {
  const problem = (key: string, value: string) =>
    /^\d+$/.test(key) && allowed.includes(value)
      ? null
      : `"${key}=${value}" is not id=${what}; ${what}s: ${allowed.join(", ")}.`;
  return linesField(problem, `id=${what}`);
}

const validWith = (fn: (v: string) => unknown) => (v: string) => {
  try {
    fn(v);
    return true;
  } catch {
    return false;
  }
};

/** "", "all", or workspace ids separated by commas or spaces; absent keeps what is stored. */
const workspaceIds = z
  .string()
  .trim()
  .optional()
  .refine(
    (v) => !v || v === "all" || /^\d+([\s,]+\d+)*$/.test(v),
    "Empty (the primary workspace), all, or ids like 2, 5.",
  )
  .transform((v): "all" | number[] | undefined =>
    v === undefined || v === "all"
      ? v
      : v
          .split(/[\s,]+/)
          .filter(Boolean)
          .map(Number),
  );

export const freshserviceForm = z.object({
  fs_enabled: checkbox,
  domain: z
    .string()
    .trim()
    .min(1, "Required.")
    .refine(validWith(freshserviceBaseUrl), "A host like acme.freshservice.com (or an https URL)."),
  web_domain: z
    .string()
    .trim()
    .refine(
      (v) => v === "" || validWith(freshserviceBaseUrl)(v),
      "A host like support.acme.com (or an https URL), or empty.",
    )
    .optional(),
  fs_api_key: z.string().trim().max(200).optional(),
  companies_from: z.enum(["departments", "workspaces"]).optional(),
  workspace_ids: workspaceIds,
  clients: optionalLinesField(
    (key, value) =>
      /^\d+$/.test(key) && value.length <= 50 ? null : `"${key}=${value}" is not workspace id=account number.`,
    "workspace id=account number",
  ),
  account_number_field: z.string().trim().min(1, "Required.").max(100),
  company_fields: optionalLinesField(
    (key, value) =>
      (COMPANY_FIELDS as readonly string[]).includes(key) && value.length <= 100
        ? null
        : `"${key}" is not a company detail; details: ${COMPANY_FIELDS.join(", ")}.`,
    "detail=department field",
  ),
  history_start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD."),
  status_map: mapField(TICKET_STATUSES, "status"),
  priority_map: mapField(TICKET_PRIORITIES, "priority"),
});

export const dattoForm = z.object({
  datto_enabled: checkbox,
  api_url: z
    .string()
    .trim()
    .min(1, "Required.")
    .refine(validWith(dattoBaseUrl), "An https URL like https://merlot-api.centrastage.net."),
  datto_api_key: z.string().trim().max(200).optional(),
  datto_api_secret: z.string().trim().max(200).optional(),
  account_variable: z.string().trim().min(1, "Required.").max(100),
  udf_labels: linesField(
    (key, value) =>
      UDF_NAME.test(key) && value.length <= 100 ? null : `"${key}=${value}" is not udfN=label (udf1 to udf300).`,
    "udfN=label",
  ),
  backup_bytes_udf: z
    .string()
    .trim()
    .refine((v) => v === "" || UDF_NAME.test(v), "udf1 to udf300, or empty."),
});

export const webhookForm = z.object({
  wh_enabled: checkbox,
  wh_secret: z
    .string()
    .trim()
    .refine((v) => v === "" || v.length >= 24, "At least 24 characters.")
    .optional(),
  ip_allowlist: z.string().transform((text, ctx) => {
    const ips = lines(text);
    const bad = ips.find((ip) => !isIP(ip));
    if (bad) ctx.addIssue({ code: "custom", message: `${bad} is not an IP address.` });
    return ips;
  }),
});

const validZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const scheduleForm = z
  .object({
    run_on_start: checkbox,
    timezone: z
      .string()
      .trim()
      .refine((v) => v === "" || validZone(v), "An IANA time zone such as Europe/Berlin, or empty."),
    ...Object.fromEntries(
      JOB_KINDS.flatMap((k) => [
        [`${k}_enabled`, checkbox],
        [`${k}_cron`, z.string().trim().min(1, "Required.")],
      ]),
    ),
  })
  .superRefine((v, ctx) => {
    for (const k of JOB_KINDS) {
      const fields = v as Record<string, string>;
      const problem = cronProblem(fields[`${k}_cron`] ?? "", fields.timezone || null);
      if (problem) ctx.addIssue({ code: "custom", path: [`${k}_cron`], message: `Not a cron expression: ${problem}` });
    }
  });

export const linkForm = z.object({
  site_uid: z.string().trim().min(1, "Required.").max(200),
  account_number: z.string().trim().min(1, "Required.").max(50),
});
