import type { Supervisor } from "./supervisor.ts";

/** Where a restart of every app stands, as the control socket reports it. */
export interface RestartAllState {
  status: "running" | "done" | "failed";
  by: string | null;
  startedAt: string;
  finishedAt: string | null;
  /** The apps in the order they are restarted: Core first, Nexus last. */
  order: string[];
  /** Restarted and healthy again. */
  done: string[];
  /** Being restarted now. */
  current: string | null;
  /** Not running when their turn came, so left as they were. */
  skipped: string[];
  /** Why the sequence stopped (the app that did not come back, and what it said). */
  error: string | null;
}

/** The identity provider is not an app of services.json: restarting it would only cut sign-ins short. */
const NOT_AN_APP = "idp";

/**
 * Restarts every running app one after the other in start order (Core first, the apps that
 * use it next, Nexus last), waiting for each to be healthy before the next; the first one that
 * does not come back stops the sequence (the supervisor keeps retrying it). It runs here and
 * not in Helm, because Helm and Nexus are restarted too: the sequence must outlive them.
 */
export function restartAllSequence(supervisor: Supervisor) {
  let state: RestartAllState | null = null;

  const run = async (current: RestartAllState) => {
    for (const name of current.order) {
      const unit = supervisor.status().find((s) => s.name === name);
      if (!unit || unit.status === "stopped") {
        current.skipped.push(name);
        continue;
      }
      current.current = name;
      try {
        await supervisor.restart(name);
      } catch (e) {
        current.error = `${name} did not come back: ${(e as Error).message}`;
        current.status = "failed";
        break;
      }
      current.done.push(name);
    }
    current.current = null;
    if (current.status === "running") current.status = "done";
    current.finishedAt = new Date().toISOString();
    const skipped = current.skipped.length ? ` (${current.skipped.join(", ")} stopped, left so)` : "";
    supervisor.note(
      current.status === "done"
        ? `restart all: ${current.done.join(", ")} restarted${skipped}`
        : `restart all stopped: ${current.error}`,
    );
  };

  return {
    state: (): RestartAllState | null => (state ? structuredClone(state) : null),
    /** Starts the sequence and returns at once; null when one is already running. */
    start(by: string | null): RestartAllState | null {
      if (state?.status === "running") return null;
      const order = supervisor.names().filter((name) => name !== NOT_AN_APP);
      state = {
        status: "running",
        by,
        startedAt: new Date().toISOString(),
        finishedAt: null,
        order,
        done: [],
        current: null,
        skipped: [],
        error: null,
      };
      supervisor.note(`restart all requested${by ? ` by ${by}` : ""}: ${order.join(", ")}`);
      void run(state);
      return structuredClone(state);
    },
  };
}

export type RestartAll = ReturnType<typeof restartAllSequence>;
