import { describe, expect, test } from "bun:test";
import { loadBackupSettings } from "@hivematrix/lib/backup";

/** Where backups and their key live: read once, with the key kept apart from what it protects. */
describe("backup settings", () => {
  const install = { root: "/srv/hivematrix", home: "/srv/hivematrix/.hivematrix" };

  test("default to ./backups and the user's own configuration folder", () => {
    expect(loadBackupSettings(install, { HOME: "/home/hm" })).toEqual({
      dir: "/srv/hivematrix/backups",
      keyFile: "/home/hm/.config/hivematrix/backup-key.txt",
      pgBin: null,
    });
    expect(loadBackupSettings(install, { HOME: "/home/hm", XDG_CONFIG_HOME: "/etc/xdg-hm" }).keyFile).toBe(
      "/etc/xdg-hm/hivematrix/backup-key.txt",
    );
  });

  test("refuse a key or a backup folder inside HIVEMATRIX_HOME, and a backup folder holding the key", () => {
    expect(() => loadBackupSettings(install, { HIVEMATRIX_BACKUP_KEY: "/srv/hivematrix/.hivematrix/k.txt" })).toThrow(
      "HIVEMATRIX_BACKUP_KEY (/srv/hivematrix/.hivematrix/k.txt) is inside HIVEMATRIX_HOME, " +
        "which every backup contains: keep the key elsewhere",
    );
    expect(() => loadBackupSettings(install, { HIVEMATRIX_BACKUP_DIR: ".hivematrix/backups" })).toThrow(
      "HIVEMATRIX_BACKUP_DIR (/srv/hivematrix/.hivematrix/backups) is inside HIVEMATRIX_HOME",
    );
    expect(() =>
      loadBackupSettings(install, { HIVEMATRIX_BACKUP_DIR: "/mnt/b", HIVEMATRIX_BACKUP_KEY: "/mnt/b/keys/k.txt" }),
    ).toThrow("HIVEMATRIX_BACKUP_DIR (/mnt/b) holds the backup key /mnt/b/keys/k.txt");
  });
});
