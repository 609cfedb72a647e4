import { describe, expect, test } from "bun:test";
import { describeStartupFailure, redactedUrl } from "../src/startup-failure.ts";

const db = {
  variable: "CODEX_DATABASE_URL",
  url: "postgres://hm:s3cret@db:5432/codex",
  sqlitePath: "/h/data/codex.db",
};

describe("describeStartupFailure", () => {
  test("an unexpected error is still one line: its name, message and where it was thrown", () => {
    const line = describeStartupFailure(new TypeError("x.y is not a function\nmore detail"), null);
    expect(line).toMatch(
      /^cannot start: TypeError: x\.y is not a function \(at \/.*startup-failure\.test\.ts:\d+:\d+\)$/,
    );
  });

  test("a driver error wrapped by drizzle is found by its cause, and the password never shows", () => {
    const cause = Object.assign(new Error('database "codex" does not exist'), { code: "3D000" });
    const line = describeStartupFailure(new Error("Failed query: select 1", { cause }), db);
    expect(line).toBe(
      'database error: CODEX_DATABASE_URL (postgres://hm:***@db:5432/codex): database "codex" does not exist [3D000]; create that database or fix its name in the URL',
    );
    expect(line).not.toContain("s3cret");
  });

  test("a file the process cannot read is named with its cause", () => {
    const e = Object.assign(new Error("EACCES: permission denied, open '/etc/tls.key'"), {
      code: "EACCES",
      path: "/etc/tls.key",
    });
    expect(describeStartupFailure(e, null)).toBe("file error: /etc/tls.key: permission denied [EACCES]");
  });

  test("redactedUrl hides the password even in a URL that does not parse", () => {
    expect(redactedUrl("postgres://u:pw@h:5432/d")).toBe("postgres://u:***@h:5432/d");
    expect(redactedUrl("postgres://u:pw@h:port/d")).toBe("postgres://u:***@h:port/d");
  });
});
