import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempHome } from "@hivematrix/lib/testing";
import { assertClassesDefined } from "@hivematrix/lib/testing/design-system";
import { linesAfter, tailLines } from "../src/output/log-file.ts";
import { type InProcessHelm, inProcessHelm } from "./in-process.ts";

const html = { accept: "text/html" };

/** A self-signed certificate valid for `days` days, as openssl writes one. */
function certificate(dir: string, days: number): string {
  const file = join(dir, "nexus.crt");
  const made = Bun.spawnSync(
    [
      "openssl",
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      String(days),
      "-subj",
      "/CN=hm.example",
    ].concat(["-addext", "subjectAltName=DNS:hm.example", "-keyout", join(dir, "nexus.key"), "-out", file]),
    { stderr: "pipe" },
  );
  if (made.exitCode !== 0) throw new Error(`openssl failed: ${made.stderr.toString()}`);
  return file;
}

let helm: InProcessHelm;
let withTls: InProcessHelm;

beforeAll(async () => {
  helm = await inProcessHelm();
  withTls = await inProcessHelm({ env: { NEXUS_TLS_CERT: certificate(tempHome("hm-helm-cert-"), 10) } });
});
afterAll(async () => {
  await helm?.stop();
  await withTls?.stop();
});

describe("metrics", () => {
  test("request rate, p50/p95, errors, CPU and memory per app over the charts' span", async () => {
    for (let i = 0; i < 3; i++) {
      await helm.send("admin", "GET", "/api/backups");
      await helm.deps.scraper.scrapeAll();
    }
    const res = await helm.send("admin", "GET", "/api/metrics");
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      span_seconds: number;
      services: { service: string; points: Record<string, number | null>[]; summary: Record<string, number | null> }[];
    };
    expect(body.span_seconds).toBe(15 * 60);
    expect(body.services.map((s) => s.service)).toEqual(["core", "helm", "nexus"]);
    const own = body.services.find((s) => s.service === "helm")!;
    expect(own.points).toHaveLength(2);
    expect(own.points[1]!.rssBytes).toBeGreaterThan(1024 * 1024);
    expect(own.points[1]!.cpuPct).toBeGreaterThanOrEqual(0);
    expect(own.summary.rate).toBeGreaterThan(0);
    expect(own.summary.p50_ms).not.toBeNull();
    expect(body.services.find((s) => s.service === "core")!.points).toEqual([]);

    const page = await (await helm.send("admin", "GET", "/performance", { headers: html })).text();
    assertClassesDefined(page, "metrics page");
    for (const title of ["Requests per second", "Median latency (p50)", "CPU use", "Resident memory"])
      expect(page).toContain(title);
    expect(page).toMatch(/<svg class="chart__svg"[^>]*aria-label="Resident memory"/);
  });
});

describe("Nexus's TLS certificate", () => {
  test("without TLS the page says so, and the audit has nothing to say about it", async () => {
    const api = await (await helm.send("admin", "GET", "/api/security/certificate")).json();
    expect(api).toEqual({ configured: false });
    const page = await (await helm.send("admin", "GET", "/security/certificate", { headers: html })).text();
    assertClassesDefined(page, "certificate page");
    expect(page).toContain("No TLS is configured");
  });

  test("subject, issuer, expiry and days left; under 21 days left is an audit finding", async () => {
    const cert = (await (await withTls.send("admin", "GET", "/api/security/certificate")).json()) as Record<
      string,
      unknown
    >;
    expect(cert).toMatchObject({ configured: true, subject: "CN=hm.example", issuer: "CN=hm.example" });
    expect(cert.alt_names).toEqual(["DNS:hm.example"]);
    expect(cert.self_signed).toBe(true);
    expect([9, 10]).toContain(cert.days_left as number);
    const page = await (await withTls.send("admin", "GET", "/security/certificate", { headers: html })).text();
    assertClassesDefined(page, "certificate page");
    expect(page).toContain("Renew it now");
    const audit = (await (await withTls.send("admin", "GET", "/api/security/audit")).json()) as {
      findings: { check: string; severity: string; title: string }[];
    };
    expect(audit.findings.find((f) => f.check === "tls.certificate-expiry")).toMatchObject({
      severity: "medium",
      title: expect.stringMatching(/^Nexus's TLS certificate expires in (9|10) days$/),
    });
  });

  test("the audit names a missing backup (information only outside production)", async () => {
    const audit = (await (await helm.send("admin", "GET", "/api/security/audit")).json()) as {
      findings: { check: string; severity: string; detail: string }[];
    };
    const finding = audit.findings.find((f) => f.check === "backup.stale")!;
    expect(finding.severity).toBe("info");
    expect(finding.detail).toContain(helm.backupDir);
    expect(audit.findings.some((f) => f.check.startsWith("tls.certificate"))).toBe(false);
  });
});

describe("a service's raw output", () => {
  test("the last N lines of the supervisor's log file, colour codes removed; an unknown service is a 404", async () => {
    mkdirSync(join(helm.home, "logs"), { recursive: true });
    const file = join(helm.home, "logs", "core.log");
    writeFileSync(file, "old 1\nold 2\n");
    renameSync(file, `${file}.1`);
    writeFileSync(file, "\x1b[31merror: Core could not bind\x1b[0m\nat main.ts:3\n");
    const res = await helm.send("admin", "GET", "/api/services/core/output?lines=3");
    expect(await res.json()).toMatchObject({
      service: "core",
      lines: ["old 2", "error: Core could not bind", "at main.ts:3"],
    });
    expect((await helm.send("admin", "GET", "/api/services/nosuch/output")).status).toBe(404);
    expect((await helm.send("admin", "GET", "/api/services/core/output?lines=0")).status).toBe(422);
    const page = await (await helm.send("admin", "GET", "/services/core/output", { headers: html })).text();
    assertClassesDefined(page, "raw output page");
    expect(page).toContain("error: Core could not bind\nat main.ts:3\n</pre>");
    expect(page).toMatch(/data-stream="\/services\/core\/output\/stream\?from=\d+:\d+"/);
  });

  test("live: lines printed after the page are streamed, across a rotation", async () => {
    const file = join(helm.home, "logs", "core.log");
    const { end } = tailLines(file, 0);
    const abort = new AbortController();
    const res = await helm.send("admin", "GET", `/services/core/output/stream?from=${end!.ino}:${end!.offset}`, {
      headers: { accept: "text/event-stream" },
      signal: abort.signal,
    });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const reader = res.body!.getReader();
    let received = "";
    const until = async (text: string) => {
      while (!received.includes(text)) received += new TextDecoder().decode((await reader.read()).value);
    };
    await until("event: ready");
    appendFileSync(file, "a new line\n");
    await until('data: ["a new line"]');
    abort.abort();

    // What is written just before a rotation is not lost: the rest of the rotated file comes first.
    const before = tailLines(file, 0).end!;
    appendFileSync(file, "last words\n");
    renameSync(file, `${file}.1`);
    writeFileSync(file, "first words\n");
    expect(linesAfter(file, before).lines).toEqual(["last words", "first words"]);
  });
});
