import type { DbHandle } from "./db.ts";

/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more: messages say what to look up, not carry it. */
const MAX_PAYLOAD_BYTES = 7_900;

/** How soon a LISTEN that could not start is tried again. */
const RELISTEN_MS = 1_000;

export interface Channel<T> {
  /** Tells every instance (this one included); resolves once PostgreSQL has the message. */
  publish(message: T): Promise<void>;
  /** Calls `listener` with each message any instance publishes; returns the way to stop. */
  subscribe(listener: (message: T) => void): () => void;
  close(): Promise<void>;
}

/**
 * A message channel between the instances of an app, over PostgreSQL's LISTEN/NOTIFY on the
 * app's own database: what one instance publishes, every instance's subscribers get (live views
 * fed from whichever instance did the work). postgres.js listens on a connection of its own and
 * listens again after it reconnects; a message sent while it was away is lost, so subscribers
 * use it as "look now" and read what they show from the database. On SQLite (one instance) a
 * message goes straight to this process's subscribers.
 */
// biome-ignore lint/suspicious/noExplicitAny: any app's schema
export function channel<T>(handle: DbHandle<any>, name: string): Channel<T> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`channel names are lower-case identifiers (got ${name})`);
  const listeners = new Set<(message: T) => void>();
  const deliver = (message: T) => {
    for (const listener of listeners) listener(message);
  };
  let listening: Promise<{ unlisten(): Promise<void> }> | null = null;

  const listen = () => {
    if (handle.engine !== "postgres" || !handle.pg || listening) return;
    listening = handle.pg.listen(name, (payload) => {
      let message: T;
      try {
        message = JSON.parse(payload) as T;
      } catch {
        return;
      }
      deliver(message);
    });
    // A database not reachable yet: tried again shortly while anyone subscribes.
    listening.catch(() => {
      listening = null;
      if (listeners.size > 0) setTimeout(listen, RELISTEN_MS).unref();
    });
  };

  return {
    async publish(message) {
      if (handle.engine !== "postgres" || !handle.pg) {
        deliver(message);
        return;
      }
      const payload = JSON.stringify(message);
      if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES)
        throw new Error(`a message on ${name} is over ${MAX_PAYLOAD_BYTES} bytes: send what to look up instead`);
      await handle.pg`SELECT pg_notify(${name}, ${payload})`;
    },
    subscribe(listener) {
      listeners.add(listener);
      listen();
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      const current = listening;
      listening = null;
      await current?.then((l) => l.unlisten()).catch(() => undefined);
    },
  };
}
