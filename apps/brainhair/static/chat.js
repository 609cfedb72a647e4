// Brainhair's chat page: sends messages and shows the answer as it streams (server-sent events
// read from fetch), tool calls as cards, approvals inline. Everything here is built with
// createElement and textContent; the one HTML it inserts is the server's rendering of the
// model's Markdown (markdown-it, raw HTML off). Without this script the forms still work.
(() => {
  const root = document.querySelector(".chat");
  if (!root) return;
  const api = root.dataset.api;
  const csrf = root.dataset.csrf;
  const list = root.querySelector(".chat__messages");
  const status = root.querySelector(".chat__status");
  const composer = root.querySelector(".chat__composer");
  let chatId = root.dataset.chat || null;
  let live = null;
  let stopButton = null;

  const el = (tag, cls, text) => {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const scroll = () => list.lastElementChild?.scrollIntoView({ block: "end" });
  const say = (text) => {
    if (status) status.textContent = text;
  };

  function message(role, text) {
    const box = el("article", `message message--${role}`);
    box.append(el("p", "message__meta", role === "user" ? "You" : "Brainhair"), el("div", "message__body", text));
    list.append(box);
    scroll();
    return box;
  }

  function notice(text, variant) {
    const box = el("div", variant === "error" ? "message message--notice message--error" : "message message--notice");
    box.setAttribute("role", "status");
    box.append(el("p", "message__body", text));
    list.append(box);
    scroll();
  }

  const cards = new Map();
  function toolCard(event) {
    let card = cards.get(event.id);
    if (!card) {
      card = el("div", "tool-call");
      card.append(el("span", "tool-call__name", event.tool), el("span", "tool-call__status"));
      cards.set(event.id, card);
      if (!list.querySelector(`[data-approval="${event.id}"]`)) list.append(card);
    }
    card.className = `tool-call tool-call--${event.status}`;
    card.querySelector(".tool-call__status").textContent = event.http
      ? `${event.status} · ${event.http}`
      : event.status;
    scroll();
  }

  async function decide(form, decision) {
    const buttons = form.querySelectorAll("button");
    for (const button of buttons) button.disabled = true;
    const res = await fetch(form.dataset.decideUrl, {
      method: "POST",
      headers: { "content-type": "application/json", "x-csrf-token": csrf, accept: "application/json" },
      body: JSON.stringify({ decision, input_hash: form.elements.input_hash.value }),
    }).catch(() => null);
    if (res?.ok) return;
    const body = res ? await res.json().catch(() => ({})) : {};
    for (const button of buttons) button.disabled = false;
    form.append(el("p", "approval-card__error", body.error?.message ?? "The decision could not be sent; try again."));
  }

  function wireApproval(form) {
    for (const button of form.querySelectorAll("button[name=decision]")) {
      button.addEventListener("click", (ev) => {
        ev.preventDefault();
        decide(form, button.value);
      });
    }
  }

  function approvalCard(event) {
    const card = el("section", "approval-card approval-card--pending");
    card.dataset.approval = event.id;
    card.setAttribute("aria-label", "Approval");
    const summary = event.summary;
    card.append(el("h3", "approval-card__title", summary.title));
    const where = [summary.company && `Company ${summary.company}`, summary.target, summary.request]
      .filter(Boolean)
      .join(" · ");
    card.append(el("p", "approval-card__target", where));
    const table = el("table", "approval-card__changes");
    const body = el("tbody");
    for (const line of summary.lines) {
      const row = el("tr");
      const th = el("th", "approval-card__field", line.field);
      th.scope = "row";
      row.append(th, el("td", "approval-card__old", line.old ?? ""), el("td", "approval-card__new", line.new));
      body.append(row);
    }
    table.append(body);
    const form = el("form", "approval-card__actions");
    form.dataset.decideUrl = event.decide_url;
    const hash = el("input");
    hash.type = "hidden";
    hash.name = "input_hash";
    hash.value = event.input_hash;
    const approve = el("button", "btn btn--primary");
    approve.append(el("span", "btn__label", "Approve"));
    approve.name = "decision";
    approve.value = "approve";
    const deny = el("button", "btn btn--danger");
    deny.append(el("span", "btn__label", "Deny"));
    deny.name = "decision";
    deny.value = "deny";
    form.append(
      hash,
      approve,
      deny,
      el("span", "approval-card__expiry", `Counts as denied at ${event.expires_at.slice(11, 19)} UTC`),
    );
    card.append(table, form);
    wireApproval(form);
    list.append(card);
    scroll();
  }

  function closeApproval(event) {
    const card = list.querySelector(`[data-approval="${event.id}"]`);
    if (!card) return;
    card.className = "approval-card approval-card--closed";
    card.querySelector(".approval-card__actions")?.replaceWith(el("p", "approval-card__outcome", event.decision));
  }

  function handle(event) {
    switch (event.type) {
      case "turn":
        chatId = event.chat;
        break;
      case "text":
        live ??= message("assistant", "");
        live.querySelector(".message__body").textContent += event.delta;
        scroll();
        break;
      case "retry":
        live?.remove();
        live = null;
        say(`Trying again: ${event.reason}`);
        break;
      case "answer": {
        live ??= message("assistant", "");
        // The server's Markdown rendering: markdown-it with raw HTML off, so it holds no script.
        const html = new DOMParser().parseFromString(event.html, "text/html");
        live.querySelector(".message__body").replaceChildren(...html.body.childNodes);
        live = null;
        break;
      }
      case "tool":
        toolCard(event);
        break;
      case "approval":
        approvalCard(event);
        say("Waiting for your approval…");
        break;
      case "approval_closed":
        closeApproval(event);
        say("Working…");
        break;
      case "secret": {
        const card = cards.get(event.id);
        const shown = el("p", "tool-call__secret", `${event.label}: ${event.value} (shown once; not kept)`);
        (card ?? list).append(shown);
        break;
      }
      case "notice":
        notice(event.text, event.variant);
        break;
      case "title":
        document.title = `${event.title} · Brainhair`;
        root.querySelector(".page-header__title")?.replaceChildren(event.title);
        break;
      case "done":
        say("");
        live = null;
        stopButton?.remove();
        stopButton = null;
        if (composer) composer.querySelector("button").disabled = false;
        break;
    }
  }

  async function read(res) {
    if (!res.ok || !res.body) {
      const body = await res.json().catch(() => ({}));
      notice(body.error?.message ?? `Brainhair answered ${res.status}.`, "error");
      handle({ type: "done" });
      return;
    }
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let cut = buffer.indexOf("\n\n");
      while (cut >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const data = block
          .split("\n")
          .filter((line) => line.startsWith("data:"))
          .map((line) => line.slice(5).trimStart());
        if (data.length) handle(JSON.parse(data.join("\n")));
        cut = buffer.indexOf("\n\n");
      }
    }
  }

  function showStop() {
    if (stopButton || !chatId) return;
    stopButton = el("button", "btn btn--danger btn--small");
    stopButton.type = "button";
    stopButton.append(el("span", "btn__label", "Stop"));
    stopButton.addEventListener("click", () =>
      fetch(`${api}/chats/${chatId}/stop`, { method: "POST", headers: { accept: "application/json" } }),
    );
    status.after(stopButton);
  }

  async function send(text) {
    const json = { "content-type": "application/json", accept: "text/event-stream, application/json" };
    if (!chatId) {
      const fields = new FormData(composer);
      const res = await fetch(`${api}/chats`, {
        method: "POST",
        headers: json,
        body: JSON.stringify({
          text,
          ticket: fields.get("ticket") || undefined,
          company: fields.get("company") || undefined,
        }),
      });
      const chat = await res.json();
      if (!res.ok) return notice(chat.error?.message ?? "The chat could not be opened.", "error");
      chatId = chat.id;
      history.replaceState(null, "", `${api.slice(0, -4)}/chats/${chat.id}`);
    }
    message("user", text);
    say("Brainhair is working…");
    showStop();
    await read(
      await fetch(`${api}/chats/${chatId}/messages`, { method: "POST", headers: json, body: JSON.stringify({ text }) }),
    );
  }

  for (const form of document.querySelectorAll(".approval-card__actions")) {
    form.dataset.decideUrl = `${api}/approvals/${form.closest("[data-approval]").dataset.approval}/decision`;
    wireApproval(form);
  }
  document.querySelector(".chat__stop")?.remove();
  if (root.dataset.running === "true") {
    // The page was made while a turn ran: follow it live (the refresh is for pages without scripts).
    say("Brainhair is working…");
    showStop();
    fetch(`${api}/chats/${chatId}/events`, { headers: { accept: "text/event-stream" } }).then(read);
  }
  composer?.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const field = composer.elements.text;
    const text = field.value.trim();
    if (!text) return;
    field.value = "";
    composer.querySelector("button").disabled = true;
    send(text).catch((error) => {
      notice(`The message could not be sent: ${error.message}`, "error");
      handle({ type: "done" });
    });
  });
})();
