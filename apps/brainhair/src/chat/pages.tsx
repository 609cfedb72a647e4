import { prefixOf } from "@hivematrix/lib/app";
import { HttpError } from "@hivematrix/lib/errors";
import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { formBody } from "@hivematrix/lib/validate";
import type { Context } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import { ACCESS } from "../access.ts";
import { chatToolCalls } from "../approvals/data.ts";
import type { Deps } from "../deps.ts";
import { settled } from "../turns/settle.ts";
import { startChatTurn } from "../turns/start.ts";
import { stopChat } from "../turns/stop.ts";
import { chatUsage, listChats, listMessages, ownChat } from "./data.ts";
import { chatId, chatJson, messageInput, messageJson, newChatInput, toolCallJson } from "./json.ts";
import { openChat } from "./open.ts";
import { ChatPage, NewChatPage } from "./views.tsx";

const LIST = 50;

export function chatPages(table: RouteTable, deps: Deps) {
  const model = { configured: deps.model !== null, keyFile: deps.settings.key.file };
  const chatsOf = async (c: Context<AppEnv>) => (await listChats(deps.db, c.get("user")!.sub, LIST)).map(chatJson);

  const showChat = async (
    c: Context<AppEnv>,
    id: string,
    form?: { values: Record<string, string>; errors: Record<string, string> },
  ) => {
    const chat = await ownChat(deps.db, id, c.get("user")!.sub);
    const [messages, calls, usage, chats] = await Promise.all([
      listMessages(deps.db, chat.id),
      chatToolCalls(deps.db, chat.id),
      chatUsage(deps.db, chat.id),
      chatsOf(c),
    ]);
    const running = deps.turns.of(chat.id) !== undefined;
    return c.render(
      <ChatPage
        chat={chatJson(chat)}
        chats={chats}
        messages={messages.map(messageJson)}
        calls={calls.map(toolCallJson)}
        usage={{ input: usage.input, output: usage.output, cache_read: usage.cacheRead, cache_write: usage.cacheWrite }}
        running={running}
        model={model}
        values={form?.values}
        errors={form?.errors}
      />,
      { title: chat.title, section: "chat" },
    );
  };

  /** Starts the turn, waits for it to settle, and shows the chat (the no-JavaScript path). */
  const send = async (c: Context<AppEnv>, chat: Awaited<ReturnType<typeof ownChat>>, text: string) => {
    const turn = await startChatTurn(deps, {
      chat,
      user: c.get("user")!,
      token: c.get("token"),
      text,
      requestId: c.get("requestId"),
      prefix: prefixOf(c),
    });
    await settled(turn);
    return c.redirect(c.get("page")!.url(`/chats/${chat.id}`), 303);
  };

  table.page(pageRoute({ method: "get", path: "/", access: ACCESS.people }), async (c) => {
    const context = { ticket: c.req.query("ticket") || undefined, company: c.req.query("company") || undefined };
    const parsed = newChatInput.safeParse(context);
    return c.render(<NewChatPage chats={await chatsOf(c)} model={model} context={parsed.success ? context : {}} />, {
      title: "Chat",
      section: "chat",
    });
  });

  table.page(pageRoute({ method: "post", path: "/chats", access: ACCESS.people }), async (c) => {
    const form = await formBody(c, newChatInput);
    const text = form.ok ? form.data.text : undefined;
    if (!form.ok || !text) {
      c.status(422);
      const errors = form.ok ? { text: "Write a message." } : form.errors;
      return c.render(
        <NewChatPage chats={await chatsOf(c)} model={model} context={{}} values={form.raw} errors={errors} />,
        { title: "Chat", section: "chat" },
      );
    }
    if (!deps.model) throw new HttpError(503, "model_not_configured", "Brainhair has no Anthropic API key yet.");
    const chat = await openChat(deps, c, form.data);
    return send(c, chat, text);
  });

  table.page(pageRoute({ method: "get", path: "/chats/{id}", access: ACCESS.people }), async (c) => {
    const id = chatId.safeParse(c.req.param("id"));
    if (!id.success) throw new HttpError(404, "not_found", "There is no such chat of yours.");
    return showChat(c, id.data);
  });

  table.page(pageRoute({ method: "post", path: "/chats/{id}/messages", access: ACCESS.people }), async (c) => {
    const id = chatId.safeParse(c.req.param("id"));
    if (!id.success) throw new HttpError(404, "not_found", "There is no such chat of yours.");
    const chat = await ownChat(deps.db, id.data, c.get("user")!.sub);
    const form = await formBody(c, messageInput);
    if (!form.ok) {
      c.status(422);
      return showChat(c, chat.id, { values: form.raw, errors: form.errors as Record<string, string> });
    }
    return send(c, chat, form.data.text);
  });

  table.page(pageRoute({ method: "post", path: "/chats/{id}/stop", access: ACCESS.people }), async (c) => {
    const id = chatId.safeParse(c.req.param("id"));
    if (!id.success) throw new HttpError(404, "not_found", "There is no such chat of yours.");
    const chat = await ownChat(deps.db, id.data, c.get("user")!.sub);
    await stopChat(deps, chat.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    return c.redirect(c.get("page")!.url(`/chats/${chat.id}`), 303);
  });
}
