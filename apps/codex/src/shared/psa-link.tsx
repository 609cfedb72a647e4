import { Button } from "@hivematrix/lib/ui";
import { psaUrl, type PsaLinks } from "../integrations/psa-links.ts";

/** "Open in Freshservice" for a record synced from it; nothing for anything else. */
export function PsaLink({
  psa,
  kind,
  record,
}: {
  psa: PsaLinks | null | undefined;
  kind: "ticket" | "company" | "contact";
  record: { external_source: string | null; external_id: string | null };
}) {
  const href = psaUrl(psa, kind, record);
  return href ? <Button href={href} label={`Open in ${psa!.name}`} /> : null;
}
