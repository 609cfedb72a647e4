import { raw } from "hono/html";
import { usePage } from "@hivematrix/lib/page";
import { Badge, Button } from "@hivematrix/lib/ui";
import type { ApprovalSummary } from "../tools/summary.ts";
import type { ChatJson, MessageJson, ToolCallJson } from "./json.ts";

/** The design system's chat blocks: message, tool call and approval card (global.css). */

const when = (iso: string) => `${iso.replace("T", " ").slice(0, 16)} UTC`;

export function Message({ message }: { message: MessageJson }) {
  if (message.role === "notice")
    return (
      <div class="message message--notice" role="status">
        <p class="message__body">{message.text}</p>
      </div>
    );
  const mine = message.role === "user";
  return (
    <article class={mine ? "message message--user" : "message message--assistant"}>
      <p class="message__meta">
        {mine ? "You" : "Brainhair"} · <time datetime={message.created_at}>{when(message.created_at)}</time>
        {message.was_filtered && <Badge variant="info">{`filtered: ${message.filter_levels.join(", ")}`}</Badge>}
      </p>
      {/* The assistant's HTML comes from markdown-it with raw HTML off: nothing in it can run. */}
      <div class="message__body">{message.html ? raw(message.html) : message.text}</div>
    </article>
  );
}

const DECISION_TEXT: Record<string, string> = {
  not_needed: "read",
  pending: "waiting for your approval",
  approved: "approved",
  denied: "denied",
  expired: "expired (denied)",
  stopped: "stopped",
  invalid: "not run: invalid input",
};

export function ToolCallCard({ call }: { call: ToolCallJson }) {
  const failed = call.decision === "invalid" || (call.result_status ?? 0) >= 400;
  const state = call.completed_at ? (failed ? "failed" : "done") : "running";
  return (
    <div class={`tool-call tool-call--${state}`} data-tool-call={call.id}>
      <span class="tool-call__name">{call.tool}</span>
      <span class="tool-call__status">
        {DECISION_TEXT[call.decision] ?? call.decision}
        {call.result_status !== null && ` · ${call.result_status}`}
        {call.result_note && ` · ${call.result_note}`}
      </span>
      {call.operation && <code class="tool-call__detail">{call.operation}</code>}
    </div>
  );
}

/** A pending change: what it does, old → new, and Approve / Deny as forms that work without JavaScript. */
export function ApprovalCard({ call, chatId }: { call: ToolCallJson; chatId: string }) {
  const page = usePage();
  const summary = call.summary as ApprovalSummary;
  const pending = call.decision === "pending";
  return (
    <section
      class={`approval-card approval-card--${pending ? "pending" : "closed"}`}
      data-approval={call.id}
      aria-label="Approval"
    >
      <h3 class="approval-card__title">{summary.title}</h3>
      <p class="approval-card__target">
        {[summary.company && `Company ${summary.company}`, summary.target, summary.request].filter(Boolean).join(" · ")}
      </p>
      <table class="approval-card__changes">
        <tbody>
          {summary.lines.map((line) => (
            <tr>
              <th class="approval-card__field" scope="row">
                {line.field}
              </th>
              <td class="approval-card__old">{line.old ?? ""}</td>
              <td class="approval-card__new">{line.new}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {pending ? (
        <form class="approval-card__actions" method="post" action={page.url(`/chats/${chatId}/approvals/${call.id}`)}>
          <input type="hidden" name="_csrf" value={page.csrf} />
          <input type="hidden" name="input_hash" value={call.input_hash ?? ""} />
          <Button label="Approve" variant="primary" name="decision" value="approve" />
          <Button label="Deny" variant="danger" name="decision" value="deny" />
          {call.expires_at && (
            <span class="approval-card__expiry">
              Counts as denied at <time datetime={call.expires_at}>{when(call.expires_at)}</time>
            </span>
          )}
        </form>
      ) : (
        <p class="approval-card__outcome">
          {DECISION_TEXT[call.decision] ?? call.decision}
          {call.decided_by && ` by ${call.decided_by}`}
        </p>
      )}
    </section>
  );
}

export function ChatList({ chats, current }: { chats: ChatJson[]; current?: string }) {
  const page = usePage();
  return (
    <nav class="chat__list" aria-label="My chats">
      <Button href={page.url("/")} label="New chat" variant="primary" size="small" />
      <ul class="chat__list-items">
        {chats.map((chat) => (
          <li>
            <a
              class={chat.id === current ? "chat__list-item chat__list-item--current" : "chat__list-item"}
              href={page.url(`/chats/${chat.id}`)}
              aria-current={chat.id === current ? "page" : undefined}
            >
              {chat.title}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
