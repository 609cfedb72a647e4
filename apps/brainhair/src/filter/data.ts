/**
 * filterData: a JSON value walked recursively (objects, arrays, `{tickets: [...]}`), keys kept,
 * every string filtered. Fields named for what they hold are filtered as that (fields.ts), and a
 * person found anywhere in the value is replaced the same way everywhere in it: a first pass reads
 * every leaf and learns the people, a second builds the filtered copy.
 */
import { type Analysis, analyze, withKnown } from "./analyze.ts";
import { type FieldRule, fieldRule, normalizeKey } from "./fields.ts";
import { LEVEL_TYPES, type Level } from "./levels.ts";
import { compiled, type FilterOptions } from "./options.ts";
import { nameInValue } from "./persons/name-field.ts";
import { KnownPeople } from "./persons/recurring.ts";
import { personText, render } from "./render.ts";

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** What the first pass decided for one leaf: analysed text, a replacement, or nothing to change. */
type Plan = { analysis: Analysis } | { replace: string } | null;

interface Place {
  key?: string;
  parentKey?: string;
  /** The object holding the leaf, for its sibling fields. */
  record?: JsonObject;
}

const isObject = (node: Json): node is JsonObject => node !== null && typeof node === "object" && !Array.isArray(node);

function siblingFirstName(record: JsonObject | undefined): string | undefined {
  if (!record) return undefined;
  const key = Object.keys(record).find((k) =>
    ["firstname", "givenname", "fname", "first", "given"].includes(normalizeKey(k)),
  );
  const value = key === undefined ? undefined : record[key];
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

const SURNAME_LIKE = /^\p{L}[\p{L}\p{M}'’. -]{0,40}$/u;

/** The plan a field's name decides, or undefined when the text itself has to be read. */
function byField(rule: FieldRule | null, leaf: string | number, place: Place, level: Level, known: KnownPeople) {
  const types = LEVEL_TYPES[level];
  if (!rule) return undefined;
  if (rule.kind === "keep" || rule.kind === "first") return null;
  if (rule.kind === "entity") return types.has(rule.type) && leaf !== "" ? { replace: `<${rule.type}>` } : undefined;
  if (!types.has("PERSON") || typeof leaf !== "string" || leaf.trim() === "") return undefined;
  if (rule.kind === "surname") {
    // "last": "2025-03-01" is not a surname: only a value written like one is taken as one.
    if (!SURNAME_LIKE.test(leaf.trim())) return undefined;
    const first = siblingFirstName(place.record);
    known.learn({ ...(first ? { first } : {}), surname: leaf.trim() });
    return { replace: personText({ surname: leaf.trim() }) };
  }
  const name = nameInValue(leaf);
  if (!name) return undefined;
  known.learn(name.person);
  return { replace: leaf.slice(0, name.start) + personText(name.person) + leaf.slice(name.end) };
}

export function filterData(value: Json, level: Level, options?: FilterOptions): Json {
  const opts = compiled(options);
  const known = new KnownPeople();
  const plans: Plan[] = [];
  const read = (node: Json, place: Place): void => {
    if (typeof node === "string" || typeof node === "number") {
      const rule =
        place.key === undefined ? null : fieldRule(place.key, place.parentKey, Object.keys(place.record ?? {}));
      const decided = byField(rule, node, place, level, known);
      if (decided !== undefined || typeof node === "number") {
        plans.push(decided ?? null);
        return;
      }
      const analysis = analyze(node, level, opts);
      known.remember(analysis.found);
      plans.push({ analysis });
    } else if (Array.isArray(node)) {
      // Items of an array are named by the array's key: {"contacts": [{"name": …}]}.
      for (const item of node) read(item, { ...(place.key ? { key: place.key } : {}), parentKey: place.key });
    } else if (isObject(node)) {
      for (const [key, child] of Object.entries(node)) read(child, { key, parentKey: place.key, record: node });
    }
  };
  read(value, {});
  let next = 0;
  const build = (node: Json): Json => {
    if (typeof node === "string" || typeof node === "number") {
      const plan = plans[next++];
      if (!plan) return node;
      if ("replace" in plan) return plan.replace;
      return render(node as string, withKnown(node as string, level, plan.analysis, known)).text;
    }
    if (Array.isArray(node)) return node.map(build);
    if (isObject(node)) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, build(v)]));
    return node;
  };
  return build(value);
}
