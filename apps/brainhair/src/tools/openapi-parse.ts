import type { Method, OperationRef } from "./types.ts";

/** One operation of an app's OpenAPI document, as api_operation reads it. */
export interface Operation extends OperationRef {
  operationId: string | null;
  summary: string;
  description: string;
  /** x-permission: who may call it (people's levels, services, anyone). */
  levels: string[];
  services: boolean;
  public: boolean;
  pathParams: Param[];
  queryParams: Param[];
  /** The JSON body's schema, null when it takes none; `bodyType` names a body of another kind. */
  body: { required: boolean; schema: Record<string, unknown> } | null;
  bodyType: string | null;
  /** The document's components, for the schemas' $refs. */
  components: Record<string, unknown>;
}

export interface Param {
  name: string;
  required: boolean;
  schema: Record<string, unknown>;
  description?: string;
}

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

type RawParam = {
  name: string;
  in: string;
  required?: boolean;
  schema?: Record<string, unknown>;
  description?: string;
};
type RawOp = {
  operationId?: string;
  summary?: string;
  description?: string;
  parameters?: RawParam[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Record<string, unknown> }> };
  "x-permission"?: { levels?: string[]; services?: boolean; public?: boolean };
};

const isJson = (type: string) => /^application\/([a-z.+-]*\+)?json/.test(type);

/** Every operation of a document (OpenAPI 3.x): paths × methods, parameters merged from the path level. */
export function parseDocument(app: string, doc: unknown): Operation[] {
  const document = doc as { paths?: Record<string, Record<string, unknown>>; components?: Record<string, unknown> };
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    const shared = (item.parameters as RawParam[] | undefined) ?? [];
    for (const method of METHODS) {
      const op = item[method] as RawOp | undefined;
      if (!op) continue;
      const params = [...shared, ...(op.parameters ?? [])];
      const pick = (where: string) =>
        params
          .filter((param) => param.in === where)
          .map((param) => ({
            name: param.name,
            required: where === "path" ? true : Boolean(param.required),
            schema: param.schema ?? {},
            description: param.description,
          }));
      const content = op.requestBody?.content ?? {};
      const types = Object.keys(content);
      const jsonType = types.find(isJson);
      const permission = op["x-permission"];
      out.push({
        app,
        method: method.toUpperCase() as Method,
        path,
        operationId: op.operationId ?? null,
        summary: op.summary ?? "",
        description: op.description ?? "",
        levels: permission?.levels ?? [],
        services: permission?.services ?? false,
        public: permission?.public ?? false,
        pathParams: pick("path"),
        queryParams: pick("query"),
        body: jsonType
          ? { required: Boolean(op.requestBody?.required), schema: content[jsonType]!.schema ?? {} }
          : null,
        bodyType: !jsonType && types.length > 0 ? types[0]! : null,
        components: document.components ?? {},
      });
    }
  }
  return out;
}
