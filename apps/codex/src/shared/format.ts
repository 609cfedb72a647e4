/** How pages show money, times and enum values. */

/** Integer cents as dollars, with a real minus sign for credits. */
export const money = (cents: number) =>
  `${cents < 0 ? "−" : ""}$${(Math.abs(cents) / 100).toLocaleString("en-US", {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  })}`;

export const when = (iso: string | Date | null | undefined) =>
  iso ? `${new Date(iso).toISOString().replace("T", " ").slice(0, 16)} UTC` : "—";

/** An enum value for people: `waiting_customer` → `waiting customer`. */
export const label = (value: string | null | undefined) => (value ? value.replace(/_/g, " ") : "—");

/** Query string from an object, skipping empty values. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const set = Object.entries(params).filter(([, value]) => value !== undefined && value !== null && value !== "");
  return set.length ? `?${new URLSearchParams(set.map(([key, value]) => [key, String(value)])).toString()}` : "";
}
