import { afterAll, beforeAll, expect, test } from "bun:test";
import { IDENTITY_PROVIDER } from "@hivematrix/lib/config";
import { startPlatform, type TestPlatform } from "@hivematrix/lib/testing";
import { eventually, getLogs } from "./harness.ts";

/**
 * Every process of the platform ships its log lines to Helm, not only the apps that serve an
 * API: Nexus (the gateway) and the dev IdP (which starts before Core and Helm, so its first
 * lines wait in its buffer until they are up).
 */
let platform: TestPlatform;
let admin: string;

beforeAll(async () => {
  platform = await startPlatform({
    idp: true,
    apps: { helm: { permission: "admin" }, nexus: { visible: false } },
    env: { LOG_LEVEL: "info", HIVEMATRIX_LOG_FLUSH_MS: "200" },
  });
  admin = await platform.token("admin");
}, 120_000);

afterAll(async () => {
  await platform?.stop();
});

const firstLine = (service: string, q: string) =>
  eventually(
    async () => (await getLogs(platform, admin, { service, q, limit: "1" })).logs[0] ?? false,
    45_000,
    `${service}'s "${q}" line in Helm`,
  );

test("Nexus's log lines reach Helm", async () => {
  expect(await firstLine("nexus", "nexus listening")).toMatchObject({ service: "nexus", level: "INFO" });
}, 60_000);

test("the dev IdP's log lines reach Helm, under the identity provider's name", async () => {
  expect(await firstLine(IDENTITY_PROVIDER, "dev identity provider listening")).toMatchObject({
    service: "idp",
    level: "INFO",
  });
}, 60_000);
