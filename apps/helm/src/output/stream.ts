import type { Context } from "hono";
import { eventStream } from "@hivematrix/lib/event-stream";
import type { AppEnv } from "@hivematrix/lib/app";
import { notFound } from "@hivematrix/lib/errors";
import type { Deps } from "../deps.ts";
import { knownUnits } from "../system/units.ts";
import { linesAfter, outputFile, type Position, tailLines } from "./log-file.ts";

/** How often a live view looks for new output. */
const POLL_MS = 500;
/** A comment this often keeps proxies from closing a quiet stream. */
const PING_MS = 15_000;

export const positionOf = (position: Position | null) => (position ? `${position.ino}:${position.offset}` : null);

/** The output file of a unit Helm knows (the identity provider or an app of services.json); 404 for any other name. */
export function unitOutputFile(deps: Pick<Deps, "config">, name: string): string {
  if (!knownUnits(deps.config).some((unit) => unit.name === name))
    throw notFound(`There is no service named "${name}".`);
  return outputFile(deps.config.home, name);
}

/** A unit's last lines and where its file ends, for a page or GET /api/services/{name}/output. */
export function outputSnapshot(deps: Pick<Deps, "config">, name: string, count: number) {
  const file = unitOutputFile(deps, name);
  const { lines, end } = tailLines(file, count);
  return { service: name, file, lines, end: positionOf(end) };
}

/**
 * Server-sent events: each batch of whole lines the service prints after `from`, as a JSON
 * array, with the position after it as the event id (a reconnecting reader resumes there).
 */
export function followOutput(
  c: Context<AppEnv>,
  deps: Pick<Deps, "config" | "followers">,
  name: string,
  from: Position | null,
) {
  const file = unitOutputFile(deps, name);
  c.header("Cache-Control", "no-store");
  c.header("X-Accel-Buffering", "no");
  return eventStream(c, async (stream) => {
    let closed = false;
    const unregister = deps.followers.add(() => {
      closed = true;
    });
    if (!unregister) {
      await stream.writeSSE({ event: "busy", data: "Too many live views are open; close one and reload." });
      return;
    }
    stream.onAbort(() => {
      closed = true;
    });
    try {
      let position = from ?? tailLines(file, 0).end;
      await stream.writeSSE({ event: "ready", data: "", retry: 3_000 });
      let quietSince = Date.now();
      while (!closed) {
        const read = linesAfter(file, position);
        position = read.next;
        if (read.lines.length) {
          await stream.writeSSE({ event: "lines", id: positionOf(position) ?? "", data: JSON.stringify(read.lines) });
          quietSince = Date.now();
        } else if (Date.now() - quietSince > PING_MS) {
          await stream.write(": ping\n\n");
          quietSince = Date.now();
        }
        await stream.sleep(POLL_MS);
      }
    } finally {
      unregister();
    }
  });
}
