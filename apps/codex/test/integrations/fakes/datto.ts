import type { Server } from "bun";
import { FaultBook } from "./faults.ts";
import { RollingQuota } from "./quota.ts";

/**
 * A local Datto RMM API v2 (https://rmm.datto.com/help/en/Content/2SETUP/APIv2.htm and the API's
 * OpenAPI document, /api/v3/api-docs on every platform): the public-client password grant, bearer
 * tokens with expiry, `max`/`page` paging with pageDetails.nextPageUrl (an empty string on the
 * last page), site variables (PUT creates, POST updates), and the account's request quota:
 * "600 requests within the past 60 seconds", a one-second delay once 90% is used, 429 beyond it,
 * and a temporary IP block answered with 403 after sustained breaches.
 */
export interface FakeSite {
  uid: string;
  name: string;
  variables: { id: number; name: string; value: string; masked?: boolean }[];
  devices: Record<string, unknown>[];
}

export interface FakeDatto {
  url: string;
  apiKey: string;
  apiSecret: string;
  sites: FakeSite[];
  faults: FaultBook;
  /** The account's quota; tests shrink the window to pace in seconds. */
  quota: RollingQuota;
  limits: {
    /** The documented one-second delay once 90% of the quota is used. */
    throttleDelayMs: number;
    /**
     * How many 429s within one window turn into an IP block, and for how long. Datto documents
     * only that sustained breaches lead to a temporary block answered with 403 (also in
     * https://docs.nango.dev/integrations/all/datto-rmm); the numbers are ours.
     */
    blockAfter429s: number;
    blockMs: number;
  };
  /** Answers refused with 429, and with 403 while blocked, so far. */
  rateLimited: number;
  blockedAnswers: number;
  tokensIssued: number;
  /** Makes every token issued so far invalid (as if expired or revoked). */
  revokeTokens(): void;
  stop(): Promise<void>;
}

export async function startFakeDatto(
  sites: FakeSite[] = [],
  creds = { apiKey: "datto-key", apiSecret: "datto-secret" },
  tokenTtlSeconds = 360_000,
): Promise<FakeDatto> {
  const faults = new FaultBook();
  const tokens = new Map<string, number>();
  let nextVariableId = 1000;
  const fake: FakeDatto = {
    url: "",
    ...creds,
    sites,
    faults,
    quota: new RollingQuota(600, 60_000),
    limits: { throttleDelayMs: 1_000, blockAfter429s: 10, blockMs: 5 * 60_000 },
    rateLimited: 0,
    blockedAnswers: 0,
    tokensIssued: 0,
    revokeTokens: () => tokens.clear(),
    stop: async () => server.stop(true),
  };

  const paged = (req: Request, items: unknown[], key: string) => {
    const url = new URL(req.url);
    const max = Math.min(250, Math.max(1, Number(url.searchParams.get("max") ?? 250)));
    const page = Math.max(0, Number(url.searchParams.get("page") ?? 0));
    const slice = items.slice(page * max, (page + 1) * max);
    let nextPageUrl = "";
    if ((page + 1) * max < items.length) {
      const next = new URL(url);
      next.searchParams.set("page", String(page + 1));
      nextPageUrl = next.toString();
    }
    return Response.json({
      pageDetails: { count: slice.length, totalCount: items.length, prevPageUrl: null, nextPageUrl },
      [key]: slice,
    });
  };

  const recent429s: number[] = [];
  let blockedUntil = 0;
  /** The quota's answer to one more request: null to serve it (after any throttling delay). */
  const admit = async (): Promise<Response | null> => {
    const now = Date.now();
    if (now < blockedUntil) {
      fake.blockedAnswers++;
      return Response.json({ message: "Access denied: IP address temporarily blocked" }, { status: 403 });
    }
    if (!fake.quota.take(1, now)) {
      fake.rateLimited++;
      recent429s.push(now);
      while (recent429s[0]! <= now - fake.quota.windowMs) recent429s.shift();
      if (recent429s.length >= fake.limits.blockAfter429s) blockedUntil = now + fake.limits.blockMs;
      return Response.json({ message: "Too many requests" }, { status: 429 });
    }
    if (fake.quota.used(now) > fake.quota.limit * 0.9) await Bun.sleep(fake.limits.throttleDelayMs);
    return null;
  };

  const server: Server<undefined> = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const injected = await faults.take(req);
      if (injected) return injected;
      const refused = await admit();
      if (refused) return refused;
      const url = new URL(req.url);
      if (url.pathname === "/auth/oauth/token" && req.method === "POST") {
        if (req.headers.get("authorization") !== `Basic ${Buffer.from("public-client:public").toString("base64")}`) {
          return Response.json(
            { error: "unauthorized", error_description: "Full authentication is required" },
            { status: 401 },
          );
        }
        const form = new URLSearchParams(await req.text());
        if (
          form.get("grant_type") !== "password" ||
          form.get("username") !== creds.apiKey ||
          form.get("password") !== creds.apiSecret
        ) {
          return Response.json({ error: "invalid_grant", error_description: "Bad credentials" }, { status: 400 });
        }
        const token = crypto.randomUUID();
        tokens.set(token, Date.now() + tokenTtlSeconds * 1000);
        fake.tokensIssued++;
        return Response.json({
          access_token: token,
          token_type: "bearer",
          expires_in: tokenTtlSeconds,
          scope: "default",
        });
      }
      const bearer = /^Bearer (.+)$/.exec(req.headers.get("authorization") ?? "")?.[1];
      if (!bearer || !tokens.has(bearer) || tokens.get(bearer)! < Date.now()) {
        return Response.json({ error: "invalid_token", error_description: "Access token expired" }, { status: 401 });
      }
      const path = url.pathname.replace(/^\/api/, "");
      if (path === "/v2/account") return Response.json({ id: 1, uid: "acct-1", name: "Fake MSP" });
      if (path === "/v2/account/sites")
        return paged(
          req,
          sites.map(({ variables, devices, ...s }) => s),
          "sites",
        );
      if (path === "/v2/account/devices")
        return paged(
          req,
          sites.flatMap((s) => s.devices),
          "devices",
        );
      let m = /^\/v2\/device\/([^/]+)$/.exec(path);
      if (m) {
        const device = sites.flatMap((s) => s.devices).find((d) => d.uid === decodeURIComponent(m![1]!));
        return device ? Response.json(device) : Response.json({ message: "Device not found" }, { status: 404 });
      }
      m = /^\/v2\/site\/([^/]+)\/(devices|variables|variable)(?:\/(\d+))?$/.exec(path);
      if (m) {
        const site = sites.find((s) => s.uid === decodeURIComponent(m![1]!));
        if (!site) return Response.json({ message: "Site not found" }, { status: 404 });
        if (m[2] === "devices" && req.method === "GET") return paged(req, site.devices, "devices");
        if (m[2] === "variables" && req.method === "GET") return paged(req, site.variables, "variables");
        if (m[2] === "variable" && req.method === "PUT" && !m[3]) {
          const body = (await req.json()) as { name: string; value: string; masked?: boolean };
          if (site.variables.some((v) => v.name === body.name))
            return Response.json({ message: "Variable already exists" }, { status: 409 });
          site.variables.push({
            id: nextVariableId++,
            name: body.name,
            value: body.value,
            masked: body.masked ?? false,
          });
          return new Response(null, { status: 200 });
        }
        if (m[2] === "variable" && req.method === "POST" && m[3]) {
          const variable = site.variables.find((v) => v.id === Number(m![3]));
          if (!variable) return Response.json({ message: "Variable not found" }, { status: 404 });
          const body = (await req.json()) as { name: string; value: string };
          variable.name = body.name;
          variable.value = body.value;
          return new Response(null, { status: 200 });
        }
      }
      return Response.json({ message: "Not found" }, { status: 404 });
    },
  });
  fake.url = `http://127.0.0.1:${server.port}`;
  return fake;
}

/**
 * A device shaped like Datto's, for tests. The OpenAPI document's Udf schema has udf1 to udf300
 * and a device answer carries every key, empty ones as null.
 */
export function fakeDevice(
  uid: string,
  hostname: string,
  siteUid: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const { udf, ...rest } = extra;
  const udfs: Record<string, unknown> = Object.fromEntries(
    Array.from({ length: 300 }, (_, i) => [`udf${i + 1}`, null]),
  );
  Object.assign(udfs, udf === undefined ? { udf1: "tenant-1", udf6: String(2 ** 40 * 1.5) } : udf);
  return {
    id: Math.floor(Math.random() * 1e6),
    uid,
    siteUid,
    siteName: `Site ${siteUid}`,
    hostname,
    description: "",
    deviceType: { category: "Desktop", type: "Desktop" },
    operatingSystem: "Microsoft Windows 11 Pro 23H2",
    intIpAddress: "10.0.0.10",
    extIpAddress: "203.0.113.5",
    lastLoggedInUser: "ACME\\jdoe",
    domain: "ACME",
    online: true,
    deleted: false,
    lastSeen: Date.UTC(2025, 0, 2, 3, 4, 5),
    lastReboot: Date.UTC(2025, 0, 1),
    lastAuditDate: Date.UTC(2025, 0, 1, 12),
    antivirus: { antivirusProduct: "Datto AV", antivirusStatus: "RunningAndUpToDate" },
    patchManagement: { patchStatus: "FullyPatched" },
    portalUrl: `https://rmm.example/device/${uid}`,
    webRemoteUrl: `https://rmm.example/remote/${uid}`,
    udf: udfs,
    ...rest,
  };
}
