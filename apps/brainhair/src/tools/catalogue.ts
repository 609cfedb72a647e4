import type { ServiceRegistry } from "@hivematrix/lib/config";
import { isExcluded } from "./exclusions.ts";
import { type Operation, parseDocument } from "./openapi-parse.ts";
import { opKey } from "./types.ts";
import { schemasCompile } from "./validation.ts";

/** Whether api_operation can call an operation, or why not (the coverage test reads the same answer). */
export function reachability(op: Operation): { ok: true } | { ok: false; reason: string } {
  if (isExcluded(opKey(op))) return { ok: false, reason: "excluded" };
  if (!op.public && op.levels.length === 0) return { ok: false, reason: "service tokens only: no person may call it" };
  if (op.bodyType) return { ok: false, reason: `its body is ${op.bodyType}, not JSON` };
  const broken = schemasCompile(op);
  if (broken) return { ok: false, reason: `its schemas do not compile: ${broken}` };
  return { ok: true };
}

/**
 * The operations of every app's OpenAPI document, read with the person's own token once per
 * turn (a document is public to every signed-in level, and reading it live means a route an
 * app adds is callable without a change here). An app without a document adds nothing.
 */
export class Catalogue {
  private loaded: Promise<Operation[]> | null = null;

  constructor(
    private readonly services: ServiceRegistry,
    private readonly token: string,
    private readonly requestId: string,
    private readonly timeoutMs: number,
  ) {}

  private async document(app: string, url: string): Promise<Operation[]> {
    try {
      const res = await fetch(`${url}/api/openapi.json`, {
        headers: { authorization: `Bearer ${this.token}`, accept: "application/json", "x-request-id": this.requestId },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!res.ok) {
        await res.body?.cancel();
        return [];
      }
      return parseDocument(app, await res.json());
    } catch {
      return [];
    }
  }

  /** Every operation of every app that serves a document. */
  all(): Promise<Operation[]> {
    this.loaded ??= Promise.all(
      Object.values(this.services).map((service) => this.document(service.name, service.url)),
    ).then((lists) => lists.flat());
    return this.loaded;
  }

  /** The operations api_operation may call. */
  async reachable(): Promise<Operation[]> {
    return (await this.all()).filter((op) => reachability(op).ok);
  }

  /** An operation by its app and its name: "METHOD /path/{template}" or its operationId. */
  async find(app: string, name: string): Promise<Operation | undefined> {
    const trimmed = name.trim();
    const named = /^(GET|POST|PUT|PATCH|DELETE)\s+(\/\S*)$/i.exec(trimmed);
    return (await this.all()).find(
      (op) =>
        op.app === app &&
        (named
          ? op.method === named[1]!.toUpperCase() && op.path === named[2]
          : op.operationId !== null && op.operationId === trimmed),
    );
  }
}
