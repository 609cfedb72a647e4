import { CookieJar, follow, submitLogin } from "@hivematrix/lib/testing";

/** Signs in through Nexus and the dev IdP like a browser, returning the session cookie header. */
export async function browserCookie(nexus: string, user = "tech"): Promise<string> {
  const jar = new CookieJar();
  const login = await follow(jar, `${nexus}/`, { headers: { accept: "text/html" } });
  const submitted = await submitLogin(jar, login.url, await login.res.text(), user, user);
  await follow(jar, new URL(submitted.headers.get("location")!, login.url).toString());
  const cookie = jar.get(nexus, "hm_session");
  if (!cookie) throw new Error(`signing in as ${user} through Nexus did not give a session cookie`);
  return `hm_session=${cookie}`;
}
