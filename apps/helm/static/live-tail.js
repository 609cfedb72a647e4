// Helm's live log tail: appends each line the server sends over server-sent events.
// Every value goes in with textContent, never as HTML.
(() => {
  const list = document.getElementById("live-log");
  const status = document.getElementById("live-status");
  if (!list || !status || typeof EventSource !== "function") return;
  const max = Number(list.dataset.maxLines) || 1000;
  const levels = { DEBUG: "debug", INFO: "info", WARNING: "warning", ERROR: "error", CRITICAL: "critical" };

  const el = (tag, cls, text) => {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  const render = (line) => {
    const level = levels[line.level] || "info";
    const item = el("li", `log-line log-line--${level}`);
    const time = el("time", "log-line__time", String(line.timestamp));
    time.setAttribute("datetime", String(line.timestamp));
    item.append(
      time,
      el("span", "log-line__service", String(line.service)),
      el("span", "log-line__level", level),
      el("span", "log-line__message", String(line.message)),
    );
    const extra = Object.assign(
      {},
      line.request_id ? { request_id: line.request_id } : {},
      line.user ? { user: line.user } : {},
      line.context || {},
    );
    if (Object.keys(extra).length) {
      const details = el("details", "log-line__context");
      details.append(el("summary", "", "Context"), el("pre", "", JSON.stringify(extra, null, 2)));
      item.append(details);
    }
    return item;
  };

  const source = new EventSource(list.dataset.stream);
  source.addEventListener("ready", () => {
    status.textContent = "Live: new lines appear at the bottom.";
  });
  source.addEventListener("log", (event) => {
    let line;
    try {
      line = JSON.parse(event.data);
    } catch {
      return;
    }
    const atBottom = window.innerHeight + window.scrollY >= document.body.scrollHeight - 40;
    list.append(render(line));
    while (list.children.length > max) list.firstElementChild.remove();
    if (atBottom) window.scrollTo(0, document.body.scrollHeight);
  });
  source.addEventListener("skipped", (event) => {
    status.textContent =
      "Live: " +
      Number(event.data) +
      " lines were skipped (more arrived, or were missed while disconnected, than this page keeps up with);" +
      " see Logs for all of them.";
  });
  source.addEventListener("busy", (event) => {
    status.textContent = String(event.data);
    source.close();
  });
  source.addEventListener("error", () => {
    status.textContent =
      source.readyState === EventSource.CLOSED
        ? "Disconnected. Reload the page to reconnect."
        : "Connection lost; reconnecting…";
  });
})();
