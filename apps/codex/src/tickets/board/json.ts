import { z } from "zod";
import { TICKET_PRIORITIES, TICKET_STATUSES } from "../../db/schema.ts";

/**
 * The ticket board (the old Beacon feed): every active ticket in four sections with its SLA
 * state, from thresholds an admin sets per priority (stored in app_settings).
 */

export type Priority = (typeof TICKET_PRIORITIES)[number];
const MAX_MINUTES = 365 * 24 * 60;

/** Rows a section shows on the page: a wall-board stays readable (and small) when thousands of tickets are active. */
export const SECTION_ROWS = 200;

export const BOARD_SETTING_KEYS = ["update_overdue_minutes", "due_critical_minutes", "due_warning_minutes"] as const;
export type BoardSettingKey = (typeof BOARD_SETTING_KEYS)[number];

const minutes = z.number().int().min(1).max(MAX_MINUTES);
/** One threshold per priority. */
const perPriority = <S extends z.ZodType>(schema: (priority: Priority) => S) =>
  z.object(
    Object.fromEntries(TICKET_PRIORITIES.map((priority) => [priority, schema(priority)])) as Record<Priority, S>,
  );
const withDefaults = (defaults: Record<Priority, number>) =>
  perPriority((priority) => minutes.default(defaults[priority])).default(defaults);

/**
 * Defaults are the old system's: update overdue after 30 min / 2 / 3 / 4 days; critical under
 * 4 h, warning under 12 h.
 */
export const boardSettingsSchema = z
  .object({
    /** A ticket with no update from the MSP for this long (minutes) is overdue for an update. */
    update_overdue_minutes: withDefaults({ urgent: 30, high: 2 * 1440, medium: 3 * 1440, low: 4 * 1440 }),
    /** Less than this left before a due date (first response or resolution) is critical… */
    due_critical_minutes: withDefaults({ urgent: 240, high: 240, medium: 240, low: 240 }),
    /** …and less than this is a warning. */
    due_warning_minutes: withDefaults({ urgent: 720, high: 720, medium: 720, low: 720 }),
  })
  .strict()
  .superRefine((settings, ctx) => {
    for (const priority of TICKET_PRIORITIES) {
      if (settings.due_warning_minutes[priority] < settings.due_critical_minutes[priority])
        ctx.addIssue({
          code: "custom",
          path: ["due_warning_minutes", priority],
          message: "The warning must come at or before the critical mark.",
        });
    }
  });
export type BoardSettings = z.infer<typeof boardSettingsSchema>;

/** A threshold of the form: whole minutes, within the range. */
export const thresholdMinutes = minutes;

const thresholds = perPriority(() => z.number().int());
/** The settings as the API answers them, with who changed them last. */
export const boardSettingsJson = z
  .object({
    update_overdue_minutes: thresholds,
    due_critical_minutes: thresholds,
    due_warning_minutes: thresholds,
    updated_by: z.string().nullable(),
    updated_at: z.iso.datetime().nullable(),
  })
  .meta({ id: "TicketBoardSettings" });
export type BoardSettingsJson = z.infer<typeof boardSettingsJson>;

/** PUT body: any of the thresholds; the rest keep their current values. */
export const boardSettingsPatch = z
  .object(
    Object.fromEntries(
      BOARD_SETTING_KEYS.map((key) => [
        key,
        perPriority(() => minutes.optional())
          .strict()
          .optional(),
      ]),
    ) as Record<BoardSettingKey, z.ZodOptional<z.ZodObject<Record<Priority, z.ZodOptional<typeof minutes>>>>>,
  )
  .strict();

export const boardQuery = z
  .object({
    group: z.string().trim().max(200).optional(),
    /** An agent id, `unassigned`, or `me` (the signed-in person's agent record). */
    assignee: z
      .union([
        z.literal("unassigned"),
        z.literal("me"),
        z.string().regex(/^\d{1,9}$/, "An agent id, unassigned or me."),
      ])
      .optional(),
    /** At most this many (most pressing) tickets per section; `section_totals` still counts them all. */
    per_section: z.coerce.number().int().min(1).max(100_000).optional(),
  })
  .strict();

/** The page also takes refresh=off: a person who needs longer than a minute with it stops the reload. */
export const boardPageQuery = boardQuery.omit({ per_section: true }).extend({ refresh: z.literal("off").optional() });
export type BoardPageQuery = z.infer<typeof boardPageQuery>;

const SLA_STATES = ["overdue", "critical", "warning", "ok", "met", "none"] as const;
export type SlaState = (typeof SLA_STATES)[number];
const slaState = z.enum(SLA_STATES);

const boardTicketSchema = z
  .object({
    id: z.number().int(),
    ticket_number: z.string().nullable(),
    subject: z.string(),
    company: z.string(),
    company_name: z.string(),
    status: z.enum(TICKET_STATUSES),
    priority: z.enum(TICKET_PRIORITIES),
    ticket_type: z.string().nullable(),
    group_name: z.string().nullable(),
    requester_name: z.string(),
    assignee_id: z.number().int().nullable(),
    assignee_name: z.string(),
    created_at: z.iso.datetime(),
    /** The MSP's latest public reply (or the first response, or the ticket's creation). */
    last_update_at: z.iso.datetime(),
    update_overdue: z.boolean(),
    first_response: z.object({
      due_at: z.iso.datetime().nullable(),
      responded_at: z.iso.datetime().nullable(),
      state: slaState,
    }),
    resolution: z.object({ due_at: z.iso.datetime().nullable(), state: slaState }),
    /** What the board shows: one state and a sentence. */
    sla: z.object({ state: slaState, text: z.string() }),
    external_source: z.string().nullable(),
    external_id: z.string().nullable(),
  })
  .meta({ id: "BoardTicket" });
export type BoardTicket = z.infer<typeof boardTicketSchema>;

const BOARD_SECTIONS = ["section1", "section2", "section3", "section4"] as const;
const sections = <S extends z.ZodType>(schema: S) =>
  z.object(
    Object.fromEntries(BOARD_SECTIONS.map((key) => [key, schema])) as Record<(typeof BOARD_SECTIONS)[number], S>,
  );

export const ticketBoardSchema = sections(z.array(boardTicketSchema))
  .extend({
    /** How many tickets each section holds, whether or not `per_section` cut the lists. */
    section_totals: sections(z.number().int()),
    total_active: z.number().int(),
    generated_at: z.iso.datetime(),
    last_sync_time: z.iso.datetime().nullable(),
    thresholds: boardSettingsJson.pick({
      update_overdue_minutes: true,
      due_critical_minutes: true,
      due_warning_minutes: true,
    }),
  })
  .meta({ id: "TicketBoard" });
export type TicketBoard = z.infer<typeof ticketBoardSchema>;

/** Who the board is filtered to. */
export interface BoardFilter {
  group?: string;
  /** An agent id, or "unassigned". */
  assignee?: number | "unassigned";
}

/** The current thresholds with a patch laid over them, checked as a whole (warning ≥ critical). */
export function patchedSettings(current: BoardSettings, patch: Partial<Record<BoardSettingKey, object>>) {
  const defined = (values: object | undefined) =>
    Object.fromEntries(Object.entries(values ?? {}).filter(([, value]) => value !== undefined));
  return boardSettingsSchema.safeParse(
    Object.fromEntries(BOARD_SETTING_KEYS.map((key) => [key, { ...current[key], ...defined(patch[key]) }])),
  );
}
