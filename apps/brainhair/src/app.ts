import { createAppShell } from "@hivematrix/lib/app-shell";
import { approvalsApi } from "./approvals/api.ts";
import { approvalPages } from "./approvals/pages.tsx";
import { auditApi } from "./audit/api.ts";
import { auditPages } from "./audit/pages.tsx";
import { chatApi } from "./chat/api.ts";
import { chatPages } from "./chat/pages.tsx";
import type { Deps } from "./deps.ts";
import { filterApi } from "./filter/api.ts";
import { historyApi } from "./history/api.ts";
import { historyPages } from "./history/pages.tsx";
import { BrainhairLayout } from "./layout.tsx";
import { usageApi } from "./usage/api.ts";
import { usagePages } from "./usage/pages.tsx";

/** Brainhair: the assistant that can do what the signed-in person can, changes under their approval. */
export function createBrainhairApp(deps: Deps) {
  const { app, routes } = createAppShell({
    service: "brainhair",
    title: "HiveMatrix Brainhair",
    description:
      "The AI assistant: chats whose tools call the apps' APIs with the person's own token, changes only after " +
      "the person approves them, and the PHI/CJIS filter.",
    deps,
    layout: BrainhairLayout,
    db: deps.db,
    health: () => ({ model: deps.model ? deps.settings.model : null, key: deps.settings.key.source }),
  });
  chatApi(routes, deps);
  chatPages(routes, deps);
  approvalsApi(routes, deps);
  approvalPages(routes, deps);
  historyApi(routes, deps);
  historyPages(routes, deps);
  usageApi(routes, deps);
  usagePages(routes, deps);
  auditApi(routes, deps);
  auditPages(routes, deps);
  filterApi(routes);
  return Object.assign(app, { routes });
}

export type BrainhairApp = ReturnType<typeof createBrainhairApp>;
