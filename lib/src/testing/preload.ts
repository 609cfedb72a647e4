/**
 * Loaded before every test file (bunfig.toml [test] preload). Bun 1.4 ignores bunfig's
 * `timeout`, and many tests start real processes, which on a busy 2-core machine can take
 * longer than the 5 s default.
 */
import { afterAll, setDefaultTimeout } from "bun:test";
import { killStrayProcesses, removeTempHomes } from "./processes.ts";

setDefaultTimeout(60_000);
// Registered here, this runs once, after the last test file (process exit handlers never run under bun test).
afterAll(() => {
  killStrayProcesses();
  removeTempHomes();
});
