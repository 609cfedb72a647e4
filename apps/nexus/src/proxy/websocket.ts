import type { Server, ServerWebSocket, WebSocketHandler } from "bun";
import type { RequestInfo } from "./request-info.ts";

type Message = string | ArrayBuffer | Uint8Array;

/** One relayed connection: the backend's socket, and what it sent before the browser's side opened. */
export interface RelayData {
  upstream: WebSocket;
  client: ServerWebSocket<RelayData> | null;
  early: Message[];
}

/** Bun's client takes headers (DOM's typing of WebSocket, also in scope, does not know that). */
const BunWebSocket = WebSocket as unknown as new (url: string, options: Bun.WebSocketOptions) => WebSocket;

const OPEN_TIMEOUT_MS = 10_000;
/** Close codes a peer may not send itself (1005/1006 only describe what happened). */
const sendableCode = (code: number) =>
  code === 1000 || (code >= 3000 && code <= 4999)
    ? code
    : code >= 1001 && code <= 1014 && code !== 1005 && code !== 1006
      ? code
      : 1000;

/**
 * WebSocket pass-through: Nexus first opens the backend's socket with the same headers a
 * proxied request gets (so a backend that is down is a 502, and its chosen subprotocol is the
 * one the browser sees), then upgrades the browser and relays frames both ways.
 */
export function createWebSocketRelay(onUnavailable: (req: Request, info: RequestInfo) => Promise<Response>) {
  const handler: WebSocketHandler<RelayData> = {
    open(ws) {
      ws.data.client = ws;
      for (const m of ws.data.early) ws.send(m);
      ws.data.early = [];
    },
    message(ws, message) {
      ws.data.upstream.send(message);
    },
    close(ws, code, reason) {
      const up = ws.data.upstream;
      if (up.readyState === WebSocket.OPEN || up.readyState === WebSocket.CONNECTING)
        up.close(sendableCode(code), reason);
    },
  };

  async function open(
    req: Request,
    server: Server<unknown>,
    target: string,
    headers: Headers,
    info: RequestInfo,
    metrics: { failure(kind: "unreachable" | "timeout"): void },
  ): Promise<Response | undefined> {
    for (const name of [
      "sec-websocket-key",
      "sec-websocket-version",
      "sec-websocket-extensions",
      "sec-websocket-protocol",
    ])
      headers.delete(name);
    const protocols =
      req.headers
        .get("sec-websocket-protocol")
        ?.split(",")
        .map((p) => p.trim())
        .filter(Boolean) ?? [];
    const upstream = new BunWebSocket(target.replace(/^http/, "ws"), { headers, protocols });
    upstream.binaryType = "arraybuffer";
    const data: RelayData = { upstream, client: null, early: [] };
    upstream.addEventListener("message", (e) => {
      const m = e.data as Message;
      if (data.client) data.client.send(m);
      else data.early.push(m);
    });
    upstream.addEventListener("close", (e) => data.client?.close(sendableCode(e.code), e.reason));
    const opened = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), OPEN_TIMEOUT_MS);
      upstream.addEventListener(
        "open",
        () => {
          clearTimeout(timer);
          resolve(true);
        },
        { once: true },
      );
      upstream.addEventListener(
        "error",
        () => {
          clearTimeout(timer);
          resolve(false);
        },
        { once: true },
      );
    });
    if (!opened) {
      upstream.close();
      metrics.failure("unreachable");
      return onUnavailable(req, info);
    }
    const upgraded = (server as Server<RelayData>).upgrade(req, {
      data,
      headers: upstream.protocol
        ? { "sec-websocket-protocol": upstream.protocol, "x-request-id": info.requestId }
        : { "x-request-id": info.requestId },
    });
    if (upgraded) return undefined;
    upstream.close();
    return new Response("Expected a WebSocket upgrade.", { status: 400 });
  }

  return { handler, open };
}

export type WebSocketRelay = ReturnType<typeof createWebSocketRelay>;
