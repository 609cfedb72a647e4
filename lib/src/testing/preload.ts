/**
 * Loaded before every test file (bunfig.toml [test] preload). Bun 1.4 ignores bunfig's
 * `timeout`, and many tests start real processes, which on a busy 2-core machine can take
 * longer than the 5 s default.
 */
import { setDefaultTimeout } from "bun:test";

setDefaultTimeout(60_000);
