import { raw } from "hono/html";
import { usePage } from "@hivematrix/lib/page";
import { Alert, Button, Field, type FieldErrors, PageHeader } from "@hivematrix/lib/ui";
import { ApprovalCard, ChatList, Message, ToolCallCard } from "./blocks.tsx";
import type { ChatJson, MessageJson, ToolCallJson } from "./json.ts";

export interface ModelState {
  configured: boolean;
  /** Where an admin writes the key. */
  keyFile: string;
}

function NoKey({ model }: { model: ModelState }) {
  if (model.configured) return null;
  return (
    <Alert variant="warning" title="Brainhair has no Anthropic API key">
      {`Set ANTHROPIC_API_KEY in Brainhair's environment, or write the key to ${model.keyFile} (mode 0600), ` +
        "then restart Brainhair. Optionally BRAINHAIR_MODEL picks the model and ANTHROPIC_BASE_URL another " +
        "endpoint. Helm's configuration page shows whether a key is set."}
    </Alert>
  );
}

function Composer({
  action,
  model,
  values,
  errors,
  context,
}: {
  action: string;
  model: ModelState;
  values?: Record<string, string>;
  errors?: FieldErrors;
  context?: { ticket?: string; company?: string };
}) {
  const page = usePage();
  return (
    <form class="chat__composer" method="post" action={page.url(action)} aria-label="Message">
      <input type="hidden" name="_csrf" value={page.csrf} />
      {context?.ticket && <input type="hidden" name="ticket" value={context.ticket} />}
      {context?.company && <input type="hidden" name="company" value={context.company} />}
      <Field name="text" label="Message" type="textarea" rows={3} value={values?.text} error={errors?.text} required />
      <Button label="Send" variant="primary" disabled={!model.configured} />
    </form>
  );
}

export function NewChatPage(props: {
  chats: ChatJson[];
  model: ModelState;
  context: { ticket?: string; company?: string };
  values?: Record<string, string>;
  errors?: FieldErrors;
}) {
  const page = usePage();
  const about = props.context.ticket
    ? `ticket ${props.context.ticket}`
    : props.context.company
      ? `company ${props.context.company}`
      : null;
  return (
    <div class="chat" data-api={page.url("/api")} data-csrf={page.csrf} data-new="true">
      <ChatList chats={props.chats} />
      <div class="chat__main">
        <PageHeader
          title={about ? `Ask about ${about}` : "New chat"}
          description="Ask about companies, contacts, assets, tickets or billing. Changes wait for your approval."
        />
        <NoKey model={props.model} />
        <div class="chat__messages" aria-live="polite" />
        <p class="chat__status" role="status" />
        <Composer
          action="/chats"
          model={props.model}
          values={props.values}
          errors={props.errors}
          context={props.context}
        />
      </div>
      <script src={page.url("/static/chat.js")} defer />
    </div>
  );
}

type Entry = { at: string; message?: MessageJson; call?: ToolCallJson };

export function ChatPage(props: {
  chat: ChatJson;
  chats: ChatJson[];
  messages: MessageJson[];
  calls: ToolCallJson[];
  usage: { input: number; output: number; cache_read: number; cache_write: number };
  running: boolean;
  model: ModelState;
  errors?: FieldErrors;
  values?: Record<string, string>;
}) {
  const page = usePage();
  const timeline: Entry[] = [
    // Tool results show as their cards; an answer that only called tools has no text to show.
    ...props.messages
      .filter((message) => message.role !== "tool_results" && (message.role !== "assistant" || message.text))
      .map((message) => ({ at: message.created_at, message: message })),
    ...props.calls.map((call) => ({ at: call.created_at, call })),
  ].sort((left, right) => left.at.localeCompare(right.at));
  const context = props.chat.context;
  return (
    <div
      class="chat"
      data-api={page.url("/api")}
      data-csrf={page.csrf}
      data-chat={props.chat.id}
      data-running={props.running ? "true" : "false"}
    >
      <ChatList chats={props.chats} current={props.chat.id} />
      <div class="chat__main">
        <PageHeader
          title={props.chat.title}
          description={
            context
              ? `About ${context.kind} ${context.ref}${context.level ? ` (${context.level})` : ""}`
              : "Your chat with Brainhair"
          }
        />
        <NoKey model={props.model} />
        <div class="chat__messages" aria-live="polite">
          {timeline.map((entry) =>
            entry.message ? (
              <Message message={entry.message} />
            ) : entry.call!.kind === "write" && entry.call!.summary ? (
              <ApprovalCard call={entry.call!} chatId={props.chat.id} />
            ) : (
              <ToolCallCard call={entry.call!} />
            ),
          )}
        </div>
        {/* Without JavaScript the page looks again until the answer is there; the script follows it live.
            Written raw: the JSX renderer would move a <meta> out of <noscript> into the head. */}
        {props.running && raw('<noscript><meta http-equiv="refresh" content="3"></noscript>')}
        <p class="chat__status" role="status">
          {props.running ? "Brainhair is working… (this page refreshes until it is done)" : ""}
        </p>
        {props.running && (
          <form class="chat__stop" method="post" action={page.url(`/chats/${props.chat.id}/stop`)}>
            <input type="hidden" name="_csrf" value={page.csrf} />
            <Button label="Stop" variant="danger" size="small" />
          </form>
        )}
        <Composer
          action={`/chats/${props.chat.id}/messages`}
          model={props.model}
          values={props.values}
          errors={props.errors}
        />
        <p class="chat__usage">
          {`Tokens in this chat: ${props.usage.input} in, ${props.usage.output} out, ` +
            `${props.usage.cache_read} read from cache, ${props.usage.cache_write} written to cache.`}
        </p>
      </div>
      <script src={page.url("/static/chat.js")} defer />
    </div>
  );
}
