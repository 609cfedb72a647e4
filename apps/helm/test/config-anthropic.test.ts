import { expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadPlatformConfig } from "@hivematrix/lib/config";
import { tempHome, writeServicesFile } from "@hivematrix/lib/testing";
import { appSettings } from "../src/config-view.ts";
import { loadHelmSettings } from "../src/settings.ts";

test("the configuration shows whether Brainhair has an Anthropic key, never the key", () => {
  const home = tempHome("hm-helm-config-");
  const env = {
    HIVEMATRIX_HOME: home,
    HIVEMATRIX_SERVICES: writeServicesFile(home, { core: { port: 1 }, helm: { port: 2 }, brainhair: { port: 3 } }),
  };
  const config = loadPlatformConfig(env);
  const key = (e: Record<string, string>) =>
    appSettings(config, e, loadHelmSettings(e))
      .find((a) => a.service === "brainhair")!
      .settings.find((s) => s.name === "ANTHROPIC_API_KEY")!;
  expect(key(env).value).toStartWith("not set");
  expect(key({ ...env, ANTHROPIC_API_KEY: "sk-ant-secret-value" })).toMatchObject({ value: "set (environment)" });
  writeFileSync(join(home, "secrets", "anthropic.secret"), "sk-ant-from-file\n", { mode: 0o600 });
  expect(key(env).value).toBe("set (secrets/anthropic.secret)");
  const everything = JSON.stringify(
    appSettings(config, { ...env, ANTHROPIC_API_KEY: "sk-ant-secret-value" }, loadHelmSettings(env)),
  );
  expect(everything).not.toContain("sk-ant-secret-value");
  expect(everything).not.toContain("sk-ant-from-file");
});
