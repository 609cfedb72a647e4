import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import type { PlatformConfig } from "@hivematrix/lib/config";
import { isPrivateAddress } from "@hivematrix/lib/private-address";
import type { Finding } from "./json.ts";

/** Where a host name leads (every address), or nothing when it does not resolve. */
export type Resolve = (host: string) => Promise<string[]>;

const resolveAll: Resolve = async (host) => {
  try {
    return (await lookup(host, { all: true })).map((found) => found.address);
  } catch {
    return [];
  }
};

const LOOPBACK = /^(127\.|::1$|localhost$)/;

/**
 * Apps on other hosts (services.json `urls`) must be reachable only across the private network:
 * an instance at a public address takes requests from anywhere without Nexus's session check.
 * Each instance's host is resolved and every address it leads to must be a private or loopback
 * one; one that is not is a high finding.
 */
export async function remoteInstanceFindings(
  config: PlatformConfig,
  resolve: Resolve = resolveAll,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const service of Object.values(config.services)) {
    if (!service.remote) continue;
    for (const url of service.instanceUrls) {
      const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
      const addresses = LOOPBACK.test(host) || isIP(host) ? [host] : await resolve(host);
      const reachable = addresses.filter((address) => !LOOPBACK.test(address) && !isPrivateAddress(address));
      if (addresses.length === 0)
        findings.push({
          check: "remote.unresolved",
          severity: "medium",
          title: `${service.name} at ${url}: ${host} does not resolve`,
          detail: "Nexus cannot reach that instance, and where it would lead cannot be checked.",
          fix: `Fix ${service.name}'s urls in services.json.`,
        });
      else if (reachable.length)
        findings.push({
          check: "remote.public",
          severity: "high",
          title: `${service.name} at ${url} is at a public address (${reachable.join(", ")})`,
          detail:
            "An app on another host must be reachable only across the private network, from the Nexus hosts:" +
            " at a public address anyone can call it without Nexus's session check.",
          fix:
            "Give that host a private-network address for the app (its services.json host) and list that address" +
            ' in urls; let only the Nexus hosts reach its port (README "Running on several machines").',
        });
    }
  }
  return findings;
}
