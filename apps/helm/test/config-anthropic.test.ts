import { expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempHome, writeServicesFile } from "@hivematrix/lib/testing";
import { configuration } from "../src/config/effective.ts";
import { loadSettings } from "../src/deps.ts";

test("the configuration shows whether Brainhair has an Anthropic key, never the key", () => {
  const home = tempHome("hm-helm-config-");
  const env = {
    HIVEMATRIX_HOME: home,
    HIVEMATRIX_SERVICES: writeServicesFile(home, { core: { port: 1 }, helm: { port: 2 }, brainhair: { port: 3 } }),
  };
  const keySetting = (environment: Record<string, string>) =>
    configuration(loadSettings(environment))
      .apps.find((app) => app.service === "brainhair")!
      .settings.find((setting) => setting.name === "ANTHROPIC_API_KEY")!;
  expect(keySetting(env).value).toStartWith("not set");
  expect(keySetting({ ...env, ANTHROPIC_API_KEY: "sk-ant-secret-value" })).toMatchObject({
    value: "set (environment)",
  });
  writeFileSync(join(home, "secrets", "anthropic.secret"), "sk-ant-from-file\n", { mode: 0o600 });
  expect(keySetting(env).value).toBe("set (secrets/anthropic.secret)");
  const everything = JSON.stringify(configuration(loadSettings({ ...env, ANTHROPIC_API_KEY: "sk-ant-secret-value" })));
  expect(everything).not.toContain("sk-ant-secret-value");
  expect(everything).not.toContain("sk-ant-from-file");
});
