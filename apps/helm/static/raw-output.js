// Helm's raw output page: appends the lines a service prints, as the server sends them over
// server-sent events. Lines go in as text, never as HTML.
(() => {
  const output = document.getElementById("raw-output");
  const status = document.getElementById("output-status");
  if (!output || !status || typeof EventSource !== "function") return;
  const max = Number(output.dataset.maxLines) || 5000;
  let shown = output.textContent.split("\n").length - 1;

  const source = new EventSource(output.dataset.stream);
  source.addEventListener("ready", () => {
    status.textContent = "Live: new output appears at the bottom.";
  });
  source.addEventListener("lines", (event) => {
    let batch;
    try {
      batch = JSON.parse(event.data);
    } catch {
      return;
    }
    const atBottom = output.scrollTop + output.clientHeight >= output.scrollHeight - 40;
    // Appended, not rewritten, so a screen reader announces only the new lines (the element is a log).
    output.append(document.createTextNode(batch.map((line) => `${String(line)}\n`).join("")));
    shown += batch.length;
    if (shown > max) {
      const kept = output.textContent.split("\n").slice(shown - max);
      output.textContent = kept.join("\n");
      shown = max;
    }
    if (atBottom) output.scrollTop = output.scrollHeight;
    const pageBottom = window.innerHeight + window.scrollY >= document.body.scrollHeight - 80;
    if (pageBottom) window.scrollTo(0, document.body.scrollHeight);
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
