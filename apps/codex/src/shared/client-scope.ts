import type { Context } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import { notFound } from "@hivematrix/lib/errors";
import { companyIdOf, requireCompany } from "../companies/data.ts";
import type { Company } from "../db/schema.ts";
import type { Deps } from "../deps.ts";

/** No company can have this id: a client whose company is unknown sees nothing. */
const NOBODY = -1;

/**
 * The company a request is confined to: null for staff and services, the client's company id
 * otherwise (from the `company` claim, an account number).
 */
export async function scopeCompanyId(c: Context<AppEnv>, deps: Pick<Deps, "db">): Promise<number | null> {
  const user = c.get("user");
  if (user?.permission_level !== "client") return null;
  if (!user.company) return NOBODY;
  return (await companyIdOf(deps.db, user.company)) ?? NOBODY;
}

/** 404 (not 403, so nothing leaks) when a client asks for another company's record. */
export async function assertVisible(
  c: Context<AppEnv>,
  deps: Pick<Deps, "db">,
  companyId: number,
  what: string,
): Promise<void> {
  const scope = await scopeCompanyId(c, deps);
  if (scope !== null && scope !== companyId) throw notFound(`No such ${what}.`);
}

/** For records linked to several companies (contacts): visible when any link is the client's. */
export async function assertVisibleAny(
  c: Context<AppEnv>,
  deps: Pick<Deps, "db">,
  companyIds: number[],
  what: string,
): Promise<void> {
  const scope = await scopeCompanyId(c, deps);
  if (scope !== null && !companyIds.includes(scope)) throw notFound(`No such ${what}.`);
}

/** The company with this account number, if the request may see it (404 otherwise). */
export async function visibleCompany(c: Context<AppEnv>, deps: Pick<Deps, "db">, acct: string): Promise<Company> {
  const company = await requireCompany(deps.db, acct);
  await assertVisible(c, deps, company.id, "company");
  return company;
}
