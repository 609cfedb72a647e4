import { raw } from "hono/html";
import { usePage } from "@hivematrix/lib/page";
import { Badge, Button } from "@hivematrix/lib/ui";
import type { ApprovalSummary } from "../tools/summary.ts";
import type { ChatJson, MessageJson, ToolCallJson } from "./json.ts";

/** The design system's chat blocks: message, tool call and approval card (global.css). */

const when = (iso: string) => `${iso.replace("T", " ").slice(0, 16)} UTC`;

export function Message({ m }: { m: MessageJson }) {
  if (m.role === "notice")
    return (
      <div class="message message--notice" role="status">
        <p class="message__body">{m.text}</p>
      </div>
    );
  const mine = m.role === "user";
  return (
    <article class={mine ? "message message--user" : "message message--assistant"}>
      <p class="message__meta">
        {mine ? "You" : "Brainhair"} · <time datetime={m.created_at}>{when(m.created_at)}</time>
        {m.was_filtered && <Badge variant="info">{`filtered: ${m.filter_levels.join(", ")}`}</Badge>}
      </p>
      {/* The assistant's HTML comes from markdown-it with raw HTML off: nothing in it can run. */}
      <div class="message__body">{m.html ? raw(m.html) : m.text}</div>
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

export function ToolCallCard({ t }: { t: ToolCallJson }) {
  const failed = t.decision === "invalid" || (t.result_status ?? 0) >= 400;
  const state = t.completed_at ? (failed ? "failed" : "done") : "running";
  return (
    <div class={`tool-call tool-call--${state}`} data-tool-call={t.id}>
      <span class="tool-call__name">{t.tool}</span>
      <span class="tool-call__status">
        {DECISION_TEXT[t.decision] ?? t.decision}
        {t.result_status !== null && ` · ${t.result_status}`}
        {t.result_note && ` · ${t.result_note}`}
      </span>
      {t.operation && <code class="tool-call__detail">{t.operation}</code>}
    </div>
  );
}

/** A pending change: what it does, old → new, and Approve / Deny as forms that work without JavaScript. */
export function ApprovalCard({ t, chatId }: { t: ToolCallJson; chatId: string }) {
  const page = usePage();
  const s = t.summary as ApprovalSummary;
  const pending = t.decision === "pending";
  return (
    <section
      class={`approval-card approval-card--${pending ? "pending" : "closed"}`}
      data-approval={t.id}
      aria-label="Approval"
    >
      <h3 class="approval-card__title">{s.title}</h3>
      <p class="approval-card__target">
        {[s.company && `Company ${s.company}`, s.target, s.request].filter(Boolean).join(" · ")}
      </p>
      <table class="approval-card__changes">
        <tbody>
          {s.lines.map((l) => (
            <tr>
              <th class="approval-card__field" scope="row">
                {l.field}
              </th>
              <td class="approval-card__old">{l.old ?? ""}</td>
              <td class="approval-card__new">{l.new}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {pending ? (
        <form class="approval-card__actions" method="post" action={page.url(`/chats/${chatId}/approvals/${t.id}`)}>
          <input type="hidden" name="_csrf" value={page.csrf} />
          <input type="hidden" name="input_hash" value={t.input_hash ?? ""} />
          <Button label="Approve" variant="primary" name="decision" value="approve" />
          <Button label="Deny" variant="danger" name="decision" value="deny" />
          {t.expires_at && (
            <span class="approval-card__expiry">
              Counts as denied at <time datetime={t.expires_at}>{when(t.expires_at)}</time>
            </span>
          )}
        </form>
      ) : (
        <p class="approval-card__outcome">
          {DECISION_TEXT[t.decision] ?? t.decision}
          {t.decided_by && ` by ${t.decided_by}`}
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
        {chats.map((c) => (
          <li>
            <a
              class={c.id === current ? "chat__list-item chat__list-item--current" : "chat__list-item"}
              href={page.url(`/chats/${c.id}`)}
              aria-current={c.id === current ? "page" : undefined}
            >
              {c.title}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
