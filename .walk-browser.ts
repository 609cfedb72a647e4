// Walk helper (not committed): signs in through Nexus like a browser, or reuses a saved cookie.
import { CookieJar, follow, submitLogin } from "@hivematrix/lib/testing";
const [mode, nexus, cookieFile] = process.argv.slice(2) as [string, string, string];
const page = `${nexus}/codex/companies?q=WALK`;
const jar = new CookieJar();
if (mode === "signin") {
  const login = await follow(jar, page, { headers: { accept: "text/html" } });
  const submitted = await submitLogin(jar, login.url, await login.res.text(), "admin", "admin");
  const back = await follow(jar, new URL(submitted.headers.get("location")!, login.url).toString(), { headers: { accept: "text/html" } });
  console.log("after sign-in:", back.res.status, back.url);
  await Bun.write(cookieFile, jar.header(nexus));
} else {
  const cookie = await Bun.file(cookieFile).text();
  for (const c of cookie.split("; ")) { const i = c.indexOf("="); jar.set(nexus, c.slice(0, i), c.slice(i + 1)); }
}
const res = await jar.fetch(page, { headers: { accept: "text/html" } });
const html = await res.text();
console.log(mode, "GET /codex/companies?q=WALK →", res.status, res.headers.get("location") ?? "", html.includes("Walkthrough Ltd") ? "shows Walkthrough Ltd" : "does NOT show Walkthrough Ltd");
