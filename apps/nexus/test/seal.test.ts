import { describe, expect, test } from "bun:test";
import { createSealer } from "../src/sessions/seal.ts";

const KEY = Buffer.alloc(32, 7).toString("base64url");

describe("sealed cookies", () => {
  test("a value opened once (and so remembered) still opens only for the purpose it was sealed for", async () => {
    const sealer = createSealer(KEY);
    const login = await sealer.seal({ state: "s1", verifier: "v1" }, "login");
    expect(await sealer.open(login, "login")).toEqual({ state: "s1", verifier: "v1" });
    // The same text handed back as another cookie (a login cookie sent as the session) is refused.
    expect(await sealer.open(login, "session")).toBeNull();
    expect(await sealer.open(login, "login")).toEqual({ state: "s1", verifier: "v1" });
  });

  test("refused for the wrong purpose first, it still opens for its own", async () => {
    const sealer = createSealer(KEY);
    const session = await sealer.seal({ token: "jwt" }, "session");
    expect(await sealer.open(session, "login")).toBeNull();
    expect(await sealer.open(session, "session")).toEqual({ token: "jwt" });
  });

  test("a forgotten value is opened afresh; a key of the wrong size is refused at start", async () => {
    const sealer = createSealer(KEY);
    const session = await sealer.seal({ token: "jwt" }, "session");
    await sealer.open(session, "session");
    sealer.forget(session);
    expect(await sealer.open(session, "session")).toEqual({ token: "jwt" });
    expect(() => createSealer(Buffer.alloc(16).toString("base64url"))).toThrow("the cookie key must be 32 bytes");
  });
});
