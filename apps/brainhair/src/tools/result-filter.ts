import type { Json } from "../filter/data.ts";
import { filterModule } from "../filter/lazy.ts";
import { isLevel, type Level } from "../filter/levels.ts";
import type { CompanyDirectory } from "./company-levels.ts";

type JsonObject = { [key: string]: Json };
type Path = (string | number)[];

const isObject = (value: Json): value is JsonObject =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** The fields by which a record says which company it belongs to (Codex's shapes). */
const COMPANY_KEYS = ["compliance_level", "account_number", "company", "companies"] as const;

function ownsCompany(node: Json): node is JsonObject {
  if (!isObject(node)) return false;
  return COMPANY_KEYS.some((key) => {
    const value = node[key];
    return typeof value === "string" || (key === "companies" && Array.isArray(value));
  });
}

/**
 * The levels a record is filtered at: its own compliance_level (a company), else its company's
 * (by account number); a contact of several companies at each of theirs.
 */
async function levelsOf(record: JsonObject, directory: CompanyDirectory): Promise<Level[]> {
  if (typeof record.compliance_level === "string" && isLevel(record.compliance_level)) return [record.compliance_level];
  const accounts = [
    record.account_number,
    record.company,
    ...(Array.isArray(record.companies) ? record.companies : []),
  ].filter((account): account is string => typeof account === "string");
  const levels = new Set(await Promise.all(accounts.map((account) => directory.level(account))));
  return levels.size === 0 ? ["hipaa"] : [...levels];
}

/** The value with every record of another company cut out (null), and those records with where they were. */
function detach(node: Json, path: Path, out: { path: Path; record: JsonObject }[], top: boolean): Json {
  if (!top && ownsCompany(node)) {
    out.push({ path, record: node });
    return null;
  }
  if (Array.isArray(node)) return node.map((item, index) => detach(item, [...path, index], out, false));
  if (isObject(node)) {
    const copy: JsonObject = {};
    for (const [key, value] of Object.entries(node)) copy[key] = detach(value, [...path, key], out, false);
    return copy;
  }
  return node;
}

function setAt(root: Json, path: Path, value: Json): void {
  let node = root as JsonObject | Json[];
  for (const step of path.slice(0, -1)) node = (node as Record<string | number, Json>)[step] as JsonObject | Json[];
  (node as Record<string | number, Json>)[path[path.length - 1]!] = value;
}

export interface FilteredResult {
  data: Json;
  /** Every level some part of it was filtered at. */
  levels: Set<Level>;
}

/**
 * A tool's answer as the model may see it: every record filtered at the level of the company it
 * belongs to (tickets of several companies in one list, each at its own), the rest at `levels`
 * (the company the call named, or hipaa when none). Client company names are never people.
 */
export async function filterResult(value: Json, levels: Level[], directory: CompanyDirectory): Promise<FilteredResult> {
  const { filterData } = await filterModule();
  const options = await directory.filterOptions();
  const used = new Set<Level>();
  const unit = async (node: Json, at: Level[]): Promise<Json> => {
    const detached: { path: Path; record: JsonObject }[] = [];
    let out = detach(node, [], detached, true);
    for (const level of at) {
      out = filterData(out, level, options);
      used.add(level);
    }
    for (const cut of detached) setAt(out, cut.path, await unit(cut.record, await levelsOf(cut.record, directory)));
    return out;
  };
  const rootLevels = ownsCompany(value) ? await levelsOf(value, directory) : levels;
  return { data: await unit(value, rootLevels), levels: used };
}
