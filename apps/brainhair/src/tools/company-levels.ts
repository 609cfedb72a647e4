import type { ServiceRegistry } from "@hivematrix/lib/config";
import type { FilterOptions } from "../filter/index.ts";
import { isLevel, type Level } from "../filter/levels.ts";

/** Companies read per page, and pages at most: an MSP's whole client list, read once per turn. */
const PAGE = 500;
const MAX_PAGES = 20;

interface Entry {
  name: string;
  level: Level;
}

/**
 * The compliance level and name of every company the person may see in Codex, read once per
 * turn with their own token (a client sees only its own). The names are what the filter must
 * never take for people; a level nobody can tell (an account Codex does not show, Codex down)
 * is hipaa.
 */
export class CompanyDirectory {
  private loaded: Promise<Map<string, Entry>> | null = null;
  private options: FilterOptions = {};

  constructor(
    private readonly services: ServiceRegistry,
    private readonly token: string,
    private readonly requestId: string,
    private readonly timeoutMs: number,
  ) {}

  private async load(): Promise<Map<string, Entry>> {
    const out = new Map<string, Entry>();
    const codex = this.services.codex;
    if (!codex) return out;
    let cursor: string | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const qs = new URLSearchParams({ limit: String(PAGE), sort: "account_number" });
      if (cursor) qs.set("cursor", cursor);
      try {
        const res = await fetch(`${codex.url}/api/companies?${qs}`, {
          headers: {
            authorization: `Bearer ${this.token}`,
            accept: "application/json",
            "x-request-id": this.requestId,
          },
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        if (!res.ok) {
          await res.body?.cancel();
          break;
        }
        const body = (await res.json()) as {
          items?: { account_number: string; name: string; compliance_level: string }[];
          next_cursor?: string | null;
        };
        for (const company of body.items ?? [])
          out.set(company.account_number, {
            name: company.name,
            level: isLevel(company.compliance_level) ? company.compliance_level : "hipaa",
          });
        cursor = body.next_cursor ?? null;
        if (!cursor) break;
      } catch {
        break;
      }
    }
    // One options object per directory: the filter compiles it once.
    this.options = { companies: [...out.values()].map((entry) => entry.name) };
    return out;
  }

  private entries(): Promise<Map<string, Entry>> {
    this.loaded ??= this.load();
    return this.loaded;
  }

  /** The level of the company with this account number; hipaa when it cannot be told. */
  async level(account: string | null | undefined): Promise<Level> {
    if (!account) return "hipaa";
    return (await this.entries()).get(account)?.level ?? "hipaa";
  }

  /** The filter's options: the client companies' names, never people. */
  async filterOptions(): Promise<FilterOptions> {
    await this.entries();
    return this.options;
  }
}
