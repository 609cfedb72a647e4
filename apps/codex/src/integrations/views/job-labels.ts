import type { JobKind } from "../settings.ts";

export const JOB_LABELS: Record<JobKind, string> = {
  psa: "Companies, contacts and agents (Freshservice)",
  tickets: "Tickets: recent changes (Freshservice)",
  tickets_full: "Tickets: full history (Freshservice)",
  rmm: "Sites and devices (Datto RMM)",
  agents: "Agents (Keycloak staff groups)",
};
