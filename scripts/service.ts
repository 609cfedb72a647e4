/**
 * `bun run service install|uninstall|status [--user NAME] [--unit-dir DIR]`: runs this install as
 * a systemd service (README "Production"). --unit-dir only writes (or removes) the unit file
 * there, for a machine image or a host to copy it to; systemctl is left alone.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { OperationRefused } from "@hivematrix/lib/backup";
import { loadPlatformConfig } from "@hivematrix/lib/config";
import { parsed, runCommand, UsageError } from "./ops/cli.ts";
import { currentUser, primaryGroup, systemctl, systemdRuns } from "./service/systemctl.ts";
import { UNIT_NAME, unitText } from "./service/unit.ts";
import { controlSocketPath, supervisorAnswers } from "./supervisor/control-socket.ts";

const USAGE = "bun run service install|uninstall|status [--user NAME] [--unit-dir DIR]";
const SYSTEM_UNITS = "/etc/systemd/system";

await runCommand("service", async () => {
  const { values, positionals } = parsed(
    () =>
      parseArgs({
        options: { user: { type: "string" }, "unit-dir": { type: "string" } },
        strict: true,
        allowPositionals: true,
      }),
    USAGE,
  );
  const action = positionals[0];
  if (positionals.length !== 1 || !["install", "uninstall", "status"].includes(action!))
    throw new UsageError(`say install, uninstall or status\nusage: ${USAGE}`);
  const config = loadPlatformConfig();
  const onlyFile = values["unit-dir"] !== undefined;
  const file = join(onlyFile ? resolve(values["unit-dir"]!) : SYSTEM_UNITS, UNIT_NAME);
  if (!onlyFile && action !== "status" && !systemdRuns())
    throw new OperationRefused(
      "this machine does not run systemd (/run/systemd/system is missing): use --unit-dir DIR to write the " +
        "unit file only",
    );
  // Under sudo, the service is the invoking admin's install, not root's.
  const user = values.user ?? process.env.SUDO_USER ?? currentUser();
  const group = primaryGroup(user);
  if (!group)
    throw new OperationRefused(`there is no user ${user} on this machine (--user names the account to run as)`);
  const wanted = unitText({ user, group, root: config.root, home: config.home, bun: process.execPath });

  if (action === "install") {
    try {
      writeFileSync(file, wanted, { mode: 0o644 });
    } catch (e) {
      const { code } = e as NodeJS.ErrnoException;
      throw new OperationRefused(
        code === "EACCES"
          ? `writing ${file} needs root: run \`sudo "$(command -v bun)" run service install\``
          : `cannot write ${file} (${code})`,
      );
    }
    console.log(`Wrote ${file}: HiveMatrix runs as ${user} from ${config.root} with HIVEMATRIX_ENV=production.`);
    if (user === "root")
      console.log("It runs as root: a dedicated account that owns the install is safer (--user NAME).");
    if (onlyFile) {
      console.log(`Copy it to ${SYSTEM_UNITS}, then: systemctl daemon-reload && systemctl enable --now hivematrix`);
      return;
    }
    systemctl(["daemon-reload"]);
    if (await supervisorAnswers(config.home)) {
      systemctl(["enable", UNIT_NAME]);
      console.log(
        `Enabled at boot, not started: \`bun run start\` is running (${controlSocketPath(config.home)}). ` +
          "Stop it, then: sudo systemctl start hivematrix",
      );
      return;
    }
    systemctl(["enable", "--now", UNIT_NAME]);
    console.log("Enabled and started. Output: journalctl -u hivematrix -f; state: bun run service status");
    return;
  }

  if (action === "uninstall") {
    if (!onlyFile) systemctl(["disable", "--now", UNIT_NAME], { check: false });
    rmSync(file, { force: true });
    if (!onlyFile) systemctl(["daemon-reload"]);
    console.log(`Removed ${file}${onlyFile ? "" : "; the service is stopped and disabled"}.`);
    return;
  }

  if (!existsSync(file)) {
    console.log(`Not installed (${file} does not exist). Install it with: sudo bun run service install`);
    return;
  }
  const current = readFileSync(file, "utf8");
  console.log(
    current === wanted
      ? `Installed: ${file}, up to date.`
      : `Installed: ${file}, but it differs from what this install needs now (moved, or another user or Bun): ` +
          `run install again.`,
  );
  if (!onlyFile && systemdRuns()) {
    const enabled = systemctl(["is-enabled", UNIT_NAME], { check: false }).out;
    const active = systemctl(["is-active", UNIT_NAME], { check: false }).out;
    console.log(`systemd: ${enabled}, ${active}`);
  }
  console.log(
    (await supervisorAnswers(config.home))
      ? "The supervisor answers: see the services with `bun run helm status`."
      : "The supervisor is not running.",
  );
});
