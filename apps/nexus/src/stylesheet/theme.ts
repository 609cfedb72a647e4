import { readCookie, THEME_COOKIE } from "../sessions/cookies.ts";

export type Theme = "light" | "dark";

/** The theme a person chose on the home page (kept in an HttpOnly cookie), or null to follow their device. */
export function themeOf(cookieHeader: string | null): Theme | null {
  const v = readCookie(cookieHeader, THEME_COOKIE);
  return v === "light" || v === "dark" ? v : null;
}
