/**
 * A minimal cookie jar for driving login flows with fetch in tests: cookies per host,
 * replaced by name, removed on Max-Age=0 or a past Expires.
 */
export class CookieJar {
  private readonly byHost = new Map<string, Map<string, string>>();

  store(url: string, res: Response): void {
    const host = new URL(url).host;
    const jar = this.byHost.get(host) ?? new Map<string, string>();
    this.byHost.set(host, jar);
    for (const header of res.headers.getSetCookie()) {
      const [pair, ...attrs] = header.split(";");
      const i = pair!.indexOf("=");
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1).trim();
      const expired = attrs.some((a) => {
        const [k, v] = a.split("=").map((s) => s.trim().toLowerCase());
        return (k === "max-age" && Number(v) <= 0) || (k === "expires" && Date.parse(v ?? "") < Date.now());
      });
      if (expired || value === "") jar.delete(name);
      else jar.set(name, value);
    }
  }

  header(url: string): string {
    const jar = this.byHost.get(new URL(url).host);
    return jar ? [...jar].map(([k, v]) => `${k}=${v}`).join("; ") : "";
  }

  get(url: string, name: string): string | undefined {
    return this.byHost.get(new URL(url).host)?.get(name);
  }

  set(url: string, name: string, value: string): void {
    const host = new URL(url).host;
    const jar = this.byHost.get(host) ?? new Map<string, string>();
    jar.set(name, value);
    this.byHost.set(host, jar);
  }

  /** fetch with this jar's cookies, never following redirects (tests look at each hop). */
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.header(url);
    if (cookie) headers.set("cookie", cookie);
    const res = await fetch(url, { ...init, headers, redirect: "manual" });
    this.store(url, res);
    return res;
  }
}

export interface BrowserHop {
  url: string;
  status: number;
}

/**
 * Follows redirects like a browser from `url` until a page answers (2xx/4xx/5xx) or a
 * redirect leaves for `stopAtOrigin`; returns the final URL and the hops taken.
 */
export async function follow(jar: CookieJar, url: string, init: RequestInit = {}, stopAtOrigin?: string, maxHops = 20) {
  const hops: BrowserHop[] = [];
  let current = url;
  let res = await jar.fetch(current, init);
  for (let i = 0; i < maxHops; i++) {
    hops.push({ url: current, status: res.status });
    const location = res.headers.get("location");
    if (res.status < 300 || res.status >= 400 || !location) return { url: current, res, hops };
    const next = new URL(location, current).toString();
    if (stopAtOrigin && new URL(next).origin === stopAtOrigin) return { url: next, res, hops };
    current = next;
    res = await jar.fetch(current);
  }
  throw new Error(`too many redirects from ${url}: ${hops.map((h) => h.url).join(" → ")}`);
}

/** Submits the sign-in form found at `loginUrl` (the IdP's login page) with a username and password. */
export async function submitLogin(jar: CookieJar, loginUrl: string, html: string, username: string, password: string) {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no form on the login page ${loginUrl}`);
  const target = new URL(action.replace(/&amp;/g, "&"), loginUrl).toString();
  return jar.fetch(target, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username, password }),
  });
}
