import { idpHealthUrl, type PlatformConfig } from "@hivematrix/lib/config";

/** A service Helm knows about from configuration alone (services.json and the identity provider). */
export interface KnownUnit {
  name: string;
  title: string;
  host: string;
  port: number;
  url: string;
  healthUrl: string;
  /** Another port it listens on, for the audit and the firewall: Keycloak's management interface. */
  managementPort?: number;
}

/** The identity provider first, then services.json in its order; the same units `bun run start` runs. */
export function knownUnits(config: PlatformConfig): KnownUnit[] {
  const idp = new URL(config.idp.url);
  const units: KnownUnit[] = [
    {
      name: "idp",
      title: config.idp.keycloakHome ? "Identity provider (Keycloak)" : "Identity provider (dev)",
      host: idp.hostname,
      port: Number(idp.port || 80),
      url: config.idp.url,
      healthUrl: idpHealthUrl(config),
      ...(config.idp.managementPort ? { managementPort: config.idp.managementPort } : {}),
    },
  ];
  for (const s of Object.values(config.services)) {
    units.push({
      name: s.name,
      title: s.title,
      host: s.host,
      port: s.port,
      url: s.url,
      healthUrl: `http://${s.host === "0.0.0.0" ? "127.0.0.1" : s.host}:${s.port}/health`,
    });
  }
  return units;
}
