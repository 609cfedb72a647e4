/**
 * A module needed only on a rare path (an export, a backup, a chat's first model answer), loaded
 * the first time it is used instead of at start-up: every module imported at start costs memory
 * in every process that could run it, whether or not it ever does. `require` keeps the caller
 * synchronous; the type comes from a type-only import, which loads nothing.
 *
 *   const csv = onFirstUse(() => require("csv-stringify/sync") as typeof import("csv-stringify/sync"));
 *   csv().stringify(rows);
 */
export function onFirstUse<T>(load: () => T): () => T {
  let loaded: { module: T } | undefined;
  return () => {
    loaded ??= { module: load() };
    return loaded.module;
  };
}
