import { expect } from "bun:test";
import {
  CookieJar,
  follow,
  startPlatform,
  submitLogin,
  type PlatformOptions,
  type TestPlatform,
} from "@hivematrix/lib/testing";

/** The dev IdP, Core and Nexus as real processes; `apps` adds backends (usually `start: false`, served by the test). */
export async function startNexusPlatform(
  apps: NonNullable<PlatformOptions["apps"]> = {},
  nexusEnv: Record<string, string> = {},
): Promise<TestPlatform & { nexus: string }> {
  const platform = await startPlatform({
    idp: true,
    apps: { ...apps, nexus: { title: "Nexus", visible: false, env: nexusEnv } },
  });
  return Object.assign(platform, { nexus: platform.urls.nexus! });
}

/** Browser-like navigation headers (Nexus sends navigations to sign in, API calls get 401). */
export const NAVIGATE = { accept: "text/html,application/xhtml+xml", "sec-fetch-mode": "navigate" };

/**
 * Signs `username` in through Nexus's /keycloak proxy as a browser would; returns the jar holding
 * the session cookie and the final response.
 */
export async function signIn(base: string, username: string, password = username, path = "/") {
  const jar = new CookieJar();
  const login = await follow(jar, `${base}${path}`, { headers: NAVIGATE });
  expect(login.url).toContain("/keycloak/realms/hivematrix/login-actions/authenticate/");
  const submitted = await submitLogin(jar, login.url, await login.res.text(), username, password);
  if (submitted.status !== 303) return { jar, refused: submitted };
  const landed = await follow(jar, new URL(submitted.headers.get("location")!, login.url).toString(), {
    headers: NAVIGATE,
  });
  return { jar, landed };
}

/** Reads a process's resident memory in bytes from /proc. */
export async function rssOf(pid: number): Promise<number> {
  const status = await Bun.file(`/proc/${pid}/status`).text();
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
  return kb * 1024;
}
