// The postgres.js clients lib/db opens: every one with a connect timeout, the pool's also with a
// statement timeout the server enforces and a watchdog for a server that no longer answers at all.
import net from "node:net";
import postgres from "postgres";
import type { DatabaseTimeouts } from "./config.ts";
import { DatabaseUnavailableError } from "./db-errors.ts";

/**
 * How long past the statement timeout a sent statement may go unanswered before its connection
 * is cut: the server's own timeout error normally arrives first; silence beyond it means the
 * server or the network in between is gone.
 */
const WATCHDOG_GRACE_MS = 2_000;

interface PgSocketOptions {
  host: string[];
  port: number[];
  path: string | false;
}

/** `host:port` (or the socket path) a client connects to, for messages. */
export function describeTarget(url: string): string {
  const u = new URL(url);
  return `${u.hostname || "localhost"}:${u.port || 5432}${u.pathname}`;
}

/**
 * Cuts a connection that sent something and heard nothing back for `ms`: postgres.js then fails
 * the statements waiting on it (and their transaction) at once instead of waiting for TCP to
 * give up, which can take many minutes. Idle pooled connections send nothing and are left alone.
 */
function watch(socket: net.Socket, ms: number): void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  socket.write = ((...args: unknown[]) => {
    if (!timer) {
      timer = setTimeout(
        () => socket.destroy(new DatabaseUnavailableError(`the database did not answer within ${ms} ms`)),
        ms,
      );
      timer.unref();
    }
    return write(...args);
  }) as typeof socket.write;
  const settle = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  socket.on("data", settle);
  socket.on("close", settle);
}

/** postgres.js's `socket` option: a connected socket within the connect timeout, watched. */
function watchedSocket(timeouts: DatabaseTimeouts) {
  return (o: PgSocketOptions) =>
    new Promise<net.Socket>((resolve, reject) => {
      const where = o.path || `${o.host[0]}:${o.port[0]}`;
      const socket = o.path ? net.connect(o.path) : net.connect(o.port[0]!, o.host[0]);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          new DatabaseUnavailableError(`no connection to the database at ${where} within ${timeouts.connectMs} ms`),
        );
      }, timeouts.connectMs);
      socket.once("error", (e) => {
        clearTimeout(timer);
        reject(e);
      });
      socket.once("connect", () => {
        clearTimeout(timer);
        watch(socket, timeouts.statementMs + WATCHDOG_GRACE_MS);
        resolve(socket);
      });
    });
}

/**
 * A postgres.js client. `limited` clients (the app's pool) get the statement timeout and the
 * watchdog; unlimited ones (migrations, long maintenance transactions) only the connect timeout.
 */
export function pgClient(url: string, timeouts: DatabaseTimeouts, max: number, limited: boolean): postgres.Sql {
  const connectSeconds = timeouts.connectMs / 1000;
  if (!limited || !timeouts.statementMs)
    return postgres(url, { max, onnotice: () => {}, connect_timeout: connectSeconds });
  // `socket` is a documented postgres.js option its type declarations leave out.
  const options = {
    max,
    onnotice: () => {},
    connect_timeout: connectSeconds,
    connection: { statement_timeout: timeouts.statementMs },
    socket: watchedSocket(timeouts),
  };
  return postgres(url, options as postgres.Options<Record<string, postgres.PostgresType>>);
}
