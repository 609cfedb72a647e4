import type { ApprovalSummary } from "../tools/summary.ts";

/** What a running turn tells the page, as server-sent events (`event: <type>`, `data: <json>`). */
export type TurnEvent =
  | { type: "turn"; turn: string; chat: string }
  | { type: "text"; delta: string }
  /** The answer so far is void (the model's request failed and is tried again): clear it. */
  | { type: "retry"; reason: string; attempt: number }
  /** One answer of the model is complete: its text as HTML (markdown-it, raw HTML off). */
  | { type: "answer"; html: string }
  | {
      type: "tool";
      id: string;
      tool: string;
      kind: "read" | "write";
      status: "running" | "done" | "failed";
      http?: number;
    }
  | {
      type: "approval";
      id: string;
      tool: string;
      summary: ApprovalSummary;
      input_hash: string;
      expires_at: string;
      decide_url: string;
    }
  | { type: "approval_closed"; id: string; decision: string }
  /** For the person's eyes only, never stored (a new user's password). */
  | { type: "secret"; id: string; label: string; value: string }
  | { type: "notice"; variant: "info" | "error"; text: string }
  | { type: "title"; title: string }
  | { type: "done"; status: "done" | "stopped" | "failed" };
