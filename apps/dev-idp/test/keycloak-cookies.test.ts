import { describe, expect, test } from "bun:test";
import { isSecureContext, keycloakShapedCookie } from "../src/keycloak-cookies.ts";

describe("the dev IdP's cookies, shaped as Keycloak 26 sends them", () => {
  test("a public URL is a secure context on https or a loopback name, even over http", () => {
    for (const origin of [
      "https://hive.example",
      "http://localhost:8000",
      "http://127.0.0.1:8000",
      "http://[::1]:8000",
    ])
      expect(isSecureContext(origin), origin).toBe(true);
    for (const origin of ["http://hive.example", "http://10.0.0.5:8000", null])
      expect(isSecureContext(origin), String(origin)).toBe(false);
  });

  test("SameSite=None and Secure in a secure context, SameSite=Lax without Secure otherwise; the rest kept", () => {
    const sent = "_session=abc; path=/realms/hivematrix; expires=Thu, 03 Dec 2026 21:00:00 GMT; samesite=lax; httponly";
    const secure = Bun.Cookie.parse(keycloakShapedCookie(sent, true));
    expect(secure).toMatchObject({ name: "_session", value: "abc", path: "/realms/hivematrix", httpOnly: true });
    expect([secure.sameSite, secure.secure]).toEqual(["none", true]);
    const plain = Bun.Cookie.parse(keycloakShapedCookie(`${sent}; secure`, false));
    expect([plain.sameSite, plain.secure]).toEqual(["lax", false]);
  });
});
