import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { prefixOf } from "@hivematrix/lib/app";
import { errorSchema, jsonRequest, jsonResponse } from "@hivematrix/lib/openapi";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../access.ts";
import { chatToolCalls } from "../approvals/data.ts";
import type { Deps } from "../deps.ts";
import { turnStream } from "../turns/sse.ts";
import { startChatTurn } from "../turns/start.ts";
import { stopChat } from "../turns/stop.ts";
import { openChat } from "./open.ts";
import { chatUsage, listChats, listMessages, ownChat } from "./data.ts";
import {
  chatId,
  chatJson,
  chatSchema,
  messageInput,
  messageJson,
  messageSchema,
  newChatInput,
  toolCallJson,
  toolCallSchema,
  usageSchema,
} from "./json.ts";

const CHAT_JS = readFileSync(join(import.meta.dir, "../../static/chat.js"), "utf8");

const events = {
  description: "The turn's events as server-sent events (turn, text, answer, tool, approval, notice, title, done)",
  content: { "text/event-stream": { schema: z.string() } },
};
const param = { params: z.object({ id: chatId }) };

const routes = {
  list: apiRoute({
    method: "get",
    path: "/api/chats",
    access: ACCESS.people,
    tags: ["Chats"],
    summary: "My chats, most recent first",
    request: { query: z.object({ limit: z.coerce.number().int().min(1).max(200).optional() }).strict() },
    responses: { 200: jsonResponse("My chats", z.object({ chats: z.array(chatSchema) })) },
  }),
  create: apiRoute({
    method: "post",
    path: "/api/chats",
    access: ACCESS.people,
    tags: ["Chats"],
    summary: "Open a chat, optionally about a ticket or company (from Codex's Ask Brainhair)",
    request: { body: jsonRequest(newChatInput) },
    responses: { 201: jsonResponse("The chat", chatSchema) },
  }),
  get: apiRoute({
    method: "get",
    path: "/api/chats/{id}",
    access: ACCESS.people,
    tags: ["Chats"],
    summary: "One of my chats: its messages, tool calls (with approvals) and token use",
    request: param,
    responses: {
      200: jsonResponse(
        "The chat",
        z.object({
          chat: chatSchema,
          messages: z.array(messageSchema),
          tool_calls: z.array(toolCallSchema),
          usage: usageSchema,
          running: z.boolean(),
        }),
      ),
    },
  }),
  send: apiRoute({
    method: "post",
    path: "/api/chats/{id}/messages",
    access: ACCESS.people,
    tags: ["Chats"],
    summary: "Send a message: the answer streams back as server-sent events while the assistant works",
    request: { ...param, body: jsonRequest(messageInput) },
    responses: { 200: events, 409: jsonResponse("The assistant is still answering in this chat", errorSchema) },
  }),
  events: apiRoute({
    method: "get",
    path: "/api/chats/{id}/events",
    access: ACCESS.people,
    tags: ["Chats"],
    summary: "Reattach to the running turn's events (from event number `after`); ends at once when none runs",
    request: { ...param, query: z.object({ after: z.coerce.number().int().min(0).optional() }).strict() },
    responses: { 200: events },
  }),
  stop: apiRoute({
    method: "post",
    path: "/api/chats/{id}/stop",
    access: ACCESS.people,
    tags: ["Chats"],
    summary: "Stop: ends the model's request and any pending approval of the running turn",
    request: param,
    responses: { 200: jsonResponse("Whether a turn was running", z.object({ stopped: z.boolean() })) },
  }),
  script: apiRoute({
    method: "get",
    path: "/static/chat.js",
    access: ACCESS.anyone,
    tags: ["Chats"],
    summary: "The chat page's script (streaming, approval cards, Stop): the only JavaScript Brainhair serves",
    responses: { 200: { description: "The script", content: { "text/javascript": { schema: z.string() } } } },
  }),
};

export function chatApi(table: RouteTable, deps: Deps) {
  table.api(routes.list, async (c) => {
    const rows = await listChats(deps.db, c.get("user")!.sub, c.req.valid("query").limit ?? 50);
    return c.json({ chats: rows.map(chatJson) }, 200);
  });

  table.api(routes.create, async (c) => {
    const chat = await openChat(deps, c, c.req.valid("json"));
    return c.json(chatJson(chat), 201);
  });

  table.api(routes.get, async (c) => {
    const chat = await ownChat(deps.db, c.req.valid("param").id, c.get("user")!.sub);
    const [messages, calls, usage] = await Promise.all([
      listMessages(deps.db, chat.id),
      chatToolCalls(deps.db, chat.id),
      chatUsage(deps.db, chat.id),
    ]);
    return c.json(
      {
        chat: chatJson(chat),
        messages: messages.map(messageJson),
        tool_calls: calls.map(toolCallJson),
        usage: { input: usage.input, output: usage.output, cache_read: usage.cacheRead, cache_write: usage.cacheWrite },
        running: deps.turns.of(chat.id) !== undefined,
      },
      200,
    );
  });

  table.api(routes.send, async (c) => {
    const user = c.get("user")!;
    const chat = await ownChat(deps.db, c.req.valid("param").id, user.sub);
    const turn = await startChatTurn(deps, {
      chat,
      user,
      token: c.get("token"),
      text: c.req.valid("json").text,
      requestId: c.get("requestId"),
      prefix: prefixOf(c),
    });
    return turnStream(c, turn) as never;
  });

  table.api(routes.events, async (c) => {
    const chat = await ownChat(deps.db, c.req.valid("param").id, c.get("user")!.sub);
    const turn = deps.turns.of(chat.id);
    if (!turn)
      return c.body(`event: done\ndata: {"type":"done","status":"done"}\n\n`, 200, {
        "content-type": "text/event-stream",
      }) as never;
    return turnStream(c, turn, c.req.valid("query").after ?? 0) as never;
  });

  table.api(routes.stop, async (c) => {
    const chat = await ownChat(deps.db, c.req.valid("param").id, c.get("user")!.sub);
    return c.json({ stopped: await stopChat(deps, chat.id) }, 200);
  });

  table.api(routes.script, (c) => {
    c.header("Content-Type", "text/javascript; charset=utf-8");
    c.header("Cache-Control", "public, max-age=300");
    return c.body(CHAT_JS);
  });
}
