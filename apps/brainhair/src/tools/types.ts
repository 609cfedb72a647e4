import type { z } from "zod";
import type { UserClaims } from "@hivematrix/lib/auth";
import type { ServiceRegistry } from "@hivematrix/lib/config";
import type { Catalogue } from "./catalogue.ts";
import type { CompanyDirectory } from "./company-levels.ts";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** An operation of an app's API, as its OpenAPI document names it: app, method and path template. */
export interface OperationRef {
  app: string;
  method: Method;
  /** OpenAPI style: /api/tickets/{id}. */
  path: string;
}

/** One resolved HTTP request a tool makes: what an approval binds to, and what runs. */
export interface Call extends OperationRef {
  params: Record<string, string | number>;
  query: Record<string, string | number | boolean>;
  body?: unknown;
}

/** What a tool runs with: the person's own token (memory only, this turn only) and this turn's caches. */
export interface ToolContext {
  token: string;
  user: UserClaims;
  chatId: string;
  requestId: string;
  services: ServiceRegistry;
  timeoutMs: number;
  directory: CompanyDirectory;
  catalogue: Catalogue;
  /** Renames the chat (set_chat_title). */
  setTitle(title: string): Promise<void>;
}

/** What a tool's run gives back: the app's answer, or a local one. */
export interface ToolOutcome {
  status: number;
  /** The answer's JSON (or text), before the filter. */
  body: unknown;
  /** The company whose data this is when the call names one (a path's account number). */
  company?: string | null;
  /** Shown to the person only, never to the model or the database (a new user's password). */
  personOnly?: Record<string, string>;
  /** True when the data is Brainhair's own (the chat's title): no client data, nothing to filter. */
  local?: boolean;
}

/** A tool the model can call: a typed input (zod, sent to the model as JSON Schema) and how it runs. */
export interface ToolDef<S extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  input: S;
  /** The operations it may call, by key; the coverage test checks each against the live documents. */
  operations: Record<string, OperationRef>;
  /** The request for this input: which operation and with what. Reads (GET) run at once, the rest wait for approval. */
  plan?(input: z.infer<S>, ctx: ToolContext): Call | Promise<Call>;
  /** Tools answered by Brainhair itself (its catalogue, the chat's title): no app is called. */
  local?(input: z.infer<S>, ctx: ToolContext): Promise<ToolOutcome>;
  /** What the model may see of the answer; `personOnly` goes to the person's screen alone. */
  reveal?(body: unknown): { body: unknown; personOnly?: Record<string, string> };
}

export const opKey = (op: OperationRef) => `${op.app} ${op.method} ${op.path}`;
