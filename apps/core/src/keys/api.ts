import { z } from "zod";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { CORE_ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";

const jwkSchema = z.looseObject({ kty: z.string(), kid: z.string(), alg: z.string(), use: z.string() });

const jwksRoute = apiRoute({
  method: "get",
  path: "/.well-known/jwks.json",
  access: CORE_ACCESS.anyone,
  tags: ["Keys"],
  summary: "Core's public signing keys (current and previous) for verifying HiveMatrix JWTs",
  responses: {
    200: {
      description: "The JSON Web Key Set",
      content: { "application/json": { schema: z.object({ keys: z.array(jwkSchema) }).meta({ id: "Jwks" }) } },
    },
  },
});

export function keysApi(routes: RouteTable, deps: Deps) {
  routes.api(jwksRoute, async (c) => {
    c.header("Cache-Control", "public, max-age=300");
    return c.json((await deps.keys.jwks()) as { keys: z.infer<typeof jwkSchema>[] }, 200);
  });
}
