import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TestPlatform } from "@hivematrix/lib/testing";
import { assertClassesDefined } from "@hivematrix/lib/testing/design-system";
import { bearer, eventually, startHelmPlatform } from "./harness.ts";

/** Helm's pages for admins, and nobody else: services, security, configuration. */
let platform: TestPlatform;
let admin: string;

beforeAll(async () => {
  platform = await startHelmPlatform({ callers: ["probe"] });
  admin = await platform.token("admin");
}, 90_000);

afterAll(async () => {
  await platform?.stop();
});

describe("who may use Helm", () => {
  test("a technician is refused Helm's pages and APIs", async () => {
    const tech = await platform.token("technician");
    for (const path of [
      "/services",
      "/logs",
      "/logs/tail",
      "/security",
      "/config",
      "/api/logs",
      "/api/services",
      "/api/security/audit",
      "/api/config",
      "/logs/stream",
    ]) {
      const res = await fetch(`${platform.urls.helm}${path}`, { headers: bearer(tech) });
      expect(`${path} ${res.status}`).toBe(`${path} 403`);
    }
    const control = await fetch(`${platform.urls.helm}/api/services/core/restart`, {
      method: "POST",
      headers: bearer(tech, { "content-type": "application/json" }),
      body: "{}",
    });
    expect(control.status).toBe(403);
  });
});

describe("services, security and configuration pages", () => {
  test("the services page lists every service with sparklines once scrapes come in", async () => {
    await eventually(
      async () => {
        const res = await fetch(`${platform.urls.helm}/api/services`, { headers: bearer(admin) });
        const body = (await res.json()) as { services: { name: string; metrics: unknown[] }[] };
        return body.services.find((s) => s.name === "core")!.metrics.length >= 2;
      },
      20_000,
      "two metric points for core",
    );
    const res = await fetch(`${platform.urls.helm}/services`, { headers: bearer(admin) });
    const html = await res.text();
    assertClassesDefined(html, "services page");
    for (const name of ["idp", "core", "helm", "probe"]) expect(html).toContain(`>${name}</span>`);
    expect(html).toContain("No supervisor");
    expect(html).toMatch(/<svg class="chart chart--sparkline"[^>]*aria-label="core requests per second/);
    expect(html).toContain(`127.0.0.1:${platform.ports.core}`);
  });

  test("the security page shows the audit and a firewall script", async () => {
    const res = await fetch(`${platform.urls.helm}/security?type=iptables`, { headers: bearer(admin) });
    const html = await res.text();
    assertClassesDefined(html, "security page");
    expect(html).toContain("The dev identity provider is in use");
    expect(html).toContain("iptables -A HIVEMATRIX -j DROP");
    const script = await fetch(`${platform.urls.helm}/security/firewall.sh?type=ufw`, { headers: bearer(admin) });
    expect(script.headers.get("content-disposition")).toContain("hivematrix-firewall-ufw.sh");
    expect(await script.text()).toContain(`ufw deny ${platform.ports.core}/tcp`);
  });

  test("the configuration page shows services.json and settings with secrets masked", async () => {
    const res = await fetch(`${platform.urls.helm}/config`, { headers: bearer(admin) });
    const html = await res.text();
    assertClassesDefined(html, "configuration page");
    expect(html).toContain("HELM_SCRAPE_INTERVAL_SECONDS");
    expect(html).toContain("service-core");
    const api = (await (await fetch(`${platform.urls.helm}/api/config`, { headers: bearer(admin) })).json()) as {
      secrets: { name: string }[];
    };
    expect(JSON.stringify(api)).not.toContain(
      await Bun.file(`${platform.home}/secrets/service-core.secret`)
        .text()
        .then((s) => s.trim()),
    );
    expect(api.secrets.map((s) => s.name)).toContain("service-helm");
  });
});
