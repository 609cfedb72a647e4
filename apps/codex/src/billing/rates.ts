import { label, money } from "../shared/format.ts";
import type { RateField } from "./engine/types.ts";
import { dollars } from "./form-values.ts";

/** How a rate is entered and shown: dollars, minutes (entered as hours on overrides) or TB. */
export type RateKind = "money" | "minutes" | "tb";

/** A plan's rates in the order forms and tables show them: field, label, kind. */
export const RATE_INPUTS: [RateField, string, RateKind][] = [
  ["per_user_cents", "Per user ($)", "money"],
  ["per_workstation_cents", "Per workstation ($)", "money"],
  ["per_server_cents", "Per server ($)", "money"],
  ["per_vm_cents", "Per VM ($)", "money"],
  ["per_switch_cents", "Per switch ($)", "money"],
  ["per_firewall_cents", "Per firewall ($)", "money"],
  ["per_hour_cents", "Per ticket hour ($)", "money"],
  ["prepaid_minutes_monthly", "Prepaid minutes a month", "minutes"],
  ["prepaid_minutes_yearly", "Prepaid minutes a year", "minutes"],
  ["backup_base_workstation_cents", "Backup base, workstation ($)", "money"],
  ["backup_base_server_cents", "Backup base, server ($)", "money"],
  ["backup_included_tb", "Backup TB included per device", "tb"],
  ["backup_per_tb_cents", "Backup per extra TB ($)", "money"],
];

/** A rate as people read it: dollars, minutes or TB. */
export function rateText(field: string, value: number): string {
  const kind = RATE_INPUTS.find(([name]) => name === field)?.[2];
  return kind === "minutes" ? `${value} min` : kind === "tb" ? `${value} TB` : money(value);
}

export const rateLabel = (field: string) =>
  RATE_INPUTS.find(([name]) => name === field)?.[1].replace(/ \(\$\)$/, "") ?? label(field);

/** A rate as the overrides form shows it: dollars, hours (prepaid time is stored in minutes) or TB. */
export function rateFormValue(kind: RateKind, value: number): string {
  if (kind === "money") return dollars(value);
  if (kind === "minutes") return String(Math.round((value / 60) * 100) / 100);
  return String(value);
}

export const rateFormLabel = (name: string, text: string, kind: RateKind) =>
  (kind === "minutes" ? text.replace("minutes", "hours") : text) || name;
