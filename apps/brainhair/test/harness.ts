import type { Server } from "bun";
import type { PermissionLevel } from "@hivematrix/lib/config";
import { createLogger } from "@hivematrix/lib/log";
import { postgresTestUrl, startPlatform, type TestPlatform, withPostgres } from "@hivematrix/lib/testing";
import { type FakeAnthropic, startFakeAnthropic } from "@hivematrix/lib/testing/fake-anthropic";
import { type BrainhairApp, createBrainhairApp } from "../src/app.ts";
import { buildDeps, type Deps, loadSettings } from "../src/deps.ts";

export const ENGINES = postgresTestUrl() ? (["sqlite", "postgres"] as const) : (["sqlite"] as const);
export type Engine = (typeof ENGINES)[number];

export interface Who {
  level: PermissionLevel;
  user?: string;
  company?: string;
}

export interface BrainhairUnderTest {
  platform: TestPlatform;
  fake: FakeAnthropic;
  deps: Deps;
  app: BrainhairApp;
  /** Brainhair's own address (it listens where services.json says, so tools reach it as any app). */
  url: string;
  /** The environment Brainhair was built from (a second instance is built from the same). */
  env: Record<string, string>;
  token(who: Who): Promise<string>;
  /** The CSRF token Brainhair's pages give this person's session. */
  csrf(who: Who): Promise<string>;
  /** A request to Brainhair with this person's token (JSON body when `body` is given). */
  call(
    who: Who | null,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>;
  /** A request to another app (Codex, Helm) with this person's token. */
  appCall(app: string, who: Who, method: string, path: string, body?: unknown): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * Core, Codex (with its demo data) and optionally Helm and Nexus as real processes, the fake Messages
 * API, and Brainhair in this process (so tests can read its database), listening on its port.
 */
export async function startBrainhair(
  engine: Engine,
  options: { env?: Record<string, string>; helm?: boolean; nexus?: boolean; key?: boolean } = {},
): Promise<BrainhairUnderTest> {
  const fake = await startFakeAnthropic();
  const platform = await startPlatform({
    apps: {
      codex: { title: "Codex" },
      ...(options.helm ? { helm: { title: "Helm", permission: "admin" as const } } : {}),
      ...(options.nexus ? { nexus: { title: "Nexus", visible: false } } : {}),
      brainhair: { title: "Brainhair", start: false },
    },
  });
  const pg = engine === "postgres" ? await withPostgres("hm_brainhair") : null;
  const env: Record<string, string> = {
    ...platform.env,
    ...(options.key === false ? {} : { ANTHROPIC_API_KEY: "sk-ant-test-key" }),
    ANTHROPIC_BASE_URL: fake.url,
    BRAINHAIR_MODEL_DEADLINE_SECONDS: "5",
    BRAINHAIR_MODEL_IDLE_SECONDS: "2",
    ...(pg ? { BRAINHAIR_DATABASE_URL: pg.url } : {}),
    ...options.env,
  };
  const deps = buildDeps(loadSettings(env), { logger: createLogger({ service: "brainhair", level: "error" }) });
  await deps.db.whenReady;
  const app = createBrainhairApp(deps);
  const server: Server<undefined> = Bun.serve({
    hostname: "127.0.0.1",
    port: platform.ports.brainhair!,
    fetch: app.fetch,
    idleTimeout: 120,
  });
  const url = `http://127.0.0.1:${server.port}`;
  const token = (who: Who) => platform.token(who.level, { user: who.user, company: who.company });
  const send = async (base: string, who: Who | null, method: string, path: string, body?: unknown, extra = {}) => {
    const headers: Record<string, string> = { accept: "application/json", ...extra };
    if (who) headers.authorization = `Bearer ${await token(who)}`;
    if (body !== undefined) headers["content-type"] ??= "application/json";
    return fetch(base + path, {
      method,
      headers,
      redirect: "manual",
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
  };
  return {
    platform,
    fake,
    deps,
    app,
    url,
    env,
    token,
    async csrf(who) {
      const jwt = await token(who);
      const claims = JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8"));
      return deps.csrf.token({ get: () => claims } as never);
    },
    call: (who, method, path, body, headers) => send(url, who, method, path, body, headers),
    appCall: (name, who, method, path, body) => send(platform.urls[name]!, who, method, path, body),
    async stop() {
      for (const turn of deps.turns.all()) turn.abort.abort();
      server.stop(true);
      await deps.db.close();
      await pg?.drop();
      await platform.stop();
      await fake.stop();
    },
  };
}

export type Event = { type: string; [key: string]: unknown };

/** Reads a server-sent event stream, calling `on` for each event; resolves at its end. */
export async function readEvents(
  res: Response,
  on: (event: Event) => void | Promise<void> = () => {},
): Promise<Event[]> {
  const seen: Event[] = [];
  if (!res.body) return seen;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return seen;
    buffer += value;
    for (let cut = buffer.indexOf("\n\n"); cut >= 0; cut = buffer.indexOf("\n\n")) {
      const data = buffer
        .slice(0, cut)
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).trimStart());
      buffer = buffer.slice(cut + 2);
      if (data.length === 0) continue;
      const event = JSON.parse(data.join("\n")) as Event;
      seen.push(event);
      await on(event);
    }
  }
}

/** The text of every tool_result block in a request the fake received. */
export function toolResults(body: { messages: { content: unknown }[] }): string[] {
  return body.messages.flatMap((message) =>
    Array.isArray(message.content)
      ? (message.content as { type: string; content?: unknown }[]).flatMap((block) =>
          block.type === "tool_result"
            ? [typeof block.content === "string" ? block.content : JSON.stringify(block.content)]
            : [],
        )
      : [],
  );
}
