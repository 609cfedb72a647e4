import type { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { AppEnv } from "@hivematrix/lib/app";
import { IDENTITY_PROVIDER } from "@hivematrix/lib/config";
import { fieldErrors, queryParams } from "@hivematrix/lib/validate";
import type { HelmDeps } from "../context.ts";
import { lineJson, type LogLineJson } from "../logs/live.ts";
import {
  cursorsOf,
  filterOf,
  lineIdSchema,
  logQuerySchema,
  streamQuerySchema,
  type LogQuery,
} from "../logs/query-schema.ts";
import { countLogs, missedLines, queryLogs } from "../logs/store.ts";
import { LiveTailPage, LogsPage } from "../views/logs-page.tsx";
import { adminPages, pageContext } from "./guards.ts";

const PAGE_SIZE = 100;
const TAIL_BACKLOG = 50;
/** Lines a slow live-tail reader may fall behind by before older ones are skipped. */
const MAX_QUEUED = 1_000;

export function logRoutes(app: Hono<AppEnv>, deps: HelmDeps) {
  const pages = adminPages(deps);

  app.get("/api/logs", deps.auth.requirePermission("admin"), async (c) => {
    const q = queryParams(c, logQuerySchema);
    const filter = filterOf(q);
    const limit = q.limit ?? PAGE_SIZE;
    const [page, total] = await Promise.all([
      queryLogs(deps.db, { ...filter, ...cursorsOf(q), limit }),
      countLogs(deps.db, filter),
    ]);
    return c.json({ total, logs: page.rows.map(lineJson), older: page.older, newer: page.newer });
  });

  app.get("/logs", ...pages, async (c) => {
    const parsed = logQuerySchema.safeParse(c.req.query());
    const ctx = pageContext(c, deps);
    const services = [IDENTITY_PROVIDER, ...Object.keys(deps.config.services)];
    if (!parsed.success) {
      return c.html(
        <LogsPage
          ctx={ctx}
          services={services}
          query={c.req.query() as Record<string, string>}
          errors={fieldErrors(parsed.error)}
          rows={[]}
          total={0}
          older={null}
          newer={null}
        />,
        422,
      );
    }
    const q = parsed.data;
    const filter = filterOf(q);
    const [page, total] = await Promise.all([
      queryLogs(deps.db, { ...filter, ...cursorsOf(q), limit: q.limit ?? PAGE_SIZE }),
      countLogs(deps.db, filter),
    ]);
    return c.html(
      <LogsPage
        ctx={ctx}
        services={services}
        query={withoutCursors(q)}
        errors={{}}
        rows={page.rows}
        total={total}
        older={page.older}
        newer={page.newer}
      />,
    );
  });

  app.get("/logs/tail", ...pages, async (c) => {
    const parsed = logQuerySchema.safeParse(c.req.query());
    const ctx = pageContext(c, deps);
    const services = [IDENTITY_PROVIDER, ...Object.keys(deps.config.services)];
    if (!parsed.success) {
      return c.html(
        <LiveTailPage
          ctx={ctx}
          services={services}
          query={c.req.query() as Record<string, string>}
          errors={fieldErrors(parsed.error)}
          backlog={[]}
        />,
        422,
      );
    }
    const q = withoutCursors(parsed.data);
    const page = await queryLogs(deps.db, {
      ...filterOf({ ...q, from: undefined, to: undefined }),
      limit: TAIL_BACKLOG,
    });
    return c.html(<LiveTailPage ctx={ctx} services={services} query={q} errors={{}} backlog={page.rows.reverse()} />);
  });

  // Server-sent events: every newly stored line that matches the filter, as JSON, each with
  // its id. A reconnecting EventSource sends the last id it got (Last-Event-ID) and first
  // receives what it missed, so a dropped connection loses no lines.
  app.get("/logs/stream", deps.auth.requireUser("admin"), async (c) => {
    const q = queryParams(c, streamQuerySchema);
    const { from: _f, to: _t, ...filter } = filterOf(q);
    const lastEventId = lineIdSchema.safeParse(c.req.header("last-event-id") ?? undefined);
    const resumeAfter = lastEventId.success ? lastEventId.data : q.after_id;
    c.header("Cache-Control", "no-store");
    c.header("X-Accel-Buffering", "no");
    return streamSSE(c, async (stream) => {
      let queue: LogLineJson[] = [];
      let skipped = 0;
      let closed = false;
      let wake: (() => void) | null = null;
      const poke = () => {
        wake?.();
        wake = null;
      };
      const unsubscribe = deps.live.subscribe(
        filter,
        (lines) => {
          queue.push(...lines);
          if (queue.length > MAX_QUEUED) {
            skipped += queue.length - MAX_QUEUED;
            queue = queue.slice(-MAX_QUEUED);
          }
          poke();
        },
        () => {
          closed = true;
          poke();
        },
      );
      if (!unsubscribe) {
        await stream.writeSSE({ event: "busy", data: "Too many live tails are open; close one and reload." });
        return;
      }
      stream.onAbort(() => {
        closed = true;
        poke();
      });
      try {
        await stream.writeSSE({ event: "ready", data: "", retry: 3_000 });
        // Subscribed before reading the missed lines, so a line stored meanwhile is in one or
        // both; `sent` drops the second copy.
        let sent = resumeAfter ?? 0;
        if (resumeAfter !== undefined) {
          const missed = await missedLines(deps.db, resumeAfter, filter, MAX_QUEUED);
          if (missed.skipped > 0) await stream.writeSSE({ event: "skipped", data: String(missed.skipped) });
          for (const row of missed.rows)
            await stream.writeSSE({ event: "log", id: String(row.id), data: JSON.stringify(lineJson(row)) });
          sent = missed.rows.at(-1)?.id ?? sent;
        }
        while (!closed) {
          if (queue.length === 0) {
            const idle = new Promise<void>((resolve) => (wake = resolve));
            // A comment every 15 s keeps proxies from closing an idle stream.
            const ping = await Promise.race([idle.then(() => false), Bun.sleep(15_000).then(() => true)]);
            if (ping && !closed) await stream.write(": ping\n\n");
            continue;
          }
          const batch = queue;
          queue = [];
          if (skipped > 0) {
            await stream.writeSSE({ event: "skipped", data: String(skipped) });
            skipped = 0;
          }
          for (const line of batch) {
            if (line.id <= sent) continue;
            await stream.writeSSE({ event: "log", id: String(line.id), data: JSON.stringify(line) });
            sent = line.id;
          }
        }
      } finally {
        unsubscribe();
      }
    });
  });
}

function withoutCursors(q: LogQuery): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q))
    if (v !== undefined && k !== "before" && k !== "after" && k !== "limit") out[k] = String(v);
  return out;
}
