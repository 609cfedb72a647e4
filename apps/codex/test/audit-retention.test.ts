import { afterAll, describe, expect, test } from "bun:test";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { count, lt } from "drizzle-orm";
import { ConfigError } from "@hivematrix/lib/config";
import { createLogger } from "@hivematrix/lib/log";
import { chunks } from "../src/shared/data-common.ts";
import { purgeAuditLog } from "../src/admin/data-retention.ts";
import { startRetention } from "../src/admin/retention.ts";
import { loadSettings } from "../src/deps.ts";
import { AttachmentStore } from "../src/tickets/attachments/store.ts";
import { ENGINES, freshDb, type OpenedDb } from "./integrations/engines.ts";

const DAY = 86_400_000;
const opened: OpenedDb[] = [];
afterAll(async () => {
  for (const o of opened) await o.close();
});

const loadRetentionSettings = (env: Record<string, string>) => loadSettings(env).retention;

test("CODEX_AUDIT_RETENTION_DAYS defaults to 400 days and is checked", () => {
  expect(loadRetentionSettings({})).toEqual({ auditRetentionDays: 400, purgeIntervalMs: 3_600_000 });
  expect(loadRetentionSettings({ CODEX_AUDIT_RETENTION_DAYS: "30" }).auditRetentionDays).toBe(30);
  expect(() => loadRetentionSettings({ CODEX_AUDIT_RETENTION_DAYS: "0" })).toThrow(ConfigError);
  expect(() => loadRetentionSettings({ CODEX_AUDIT_RETENTION_DAYS: "a year" })).toThrow("CODEX_AUDIT_RETENTION_DAYS");
});

for (const engine of ENGINES) {
  describe(`audit log retention on ${engine}`, () => {
    test("rows older than the retention are deleted (in batches), newer ones kept, at start and on the timer", async () => {
      const o = await freshDb(engine);
      opened.push(o);
      const h = o.db;
      const now = Date.now();
      // 12,000 rows past 400 days (more than one batch) and 50 within it.
      const rows = Array.from({ length: 12_050 }, (_, i) => ({
        at: new Date(i < 12_000 ? now - (401 + (i % 300)) * DAY : now - (i % 399) * DAY),
        actor: "test",
        action: "update" as const,
        entity: "company",
        entityId: String(i),
      }));
      for (const part of chunks(rows, 500)) await h.db.insert(h.t.auditLog).values(part);
      const lines: Record<string, unknown>[] = [];
      const logger = createLogger({ service: "codex", write: (l) => lines.push(JSON.parse(l)) });
      const store = new AttachmentStore({ dir: join(tmpdir(), `hm-attachments-${crypto.randomUUID()}`), maxBytes: 1 });
      const retention = startRetention(h, { auditRetentionDays: 400, purgeIntervalMs: 3_600_000 }, store, logger);
      // The first purge runs at start, as soon as the database is ready.
      for (let i = 0; i < 100 && lines.length === 0; i++) await Bun.sleep(50);
      retention.stop();
      const logged = lines[0];
      expect(logged).toMatchObject({ message: "retention: deleted old rows", audit_rows: 12_000, retention_days: 400 });
      const [{ n }] = (await h.db.select({ n: count() }).from(h.t.auditLog)) as [{ n: number }];
      expect(Number(n)).toBe(50);
      expect(
        await h.db
          .select()
          .from(h.t.auditLog)
          .where(lt(h.t.auditLog.at, new Date(now - 400 * DAY))),
      ).toEqual([]);
      expect(await purgeAuditLog(h, 400)).toBe(0);
    });
  });
}
