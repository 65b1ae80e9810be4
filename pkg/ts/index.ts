// @portico/sdk: a typed client of the Portico API for browsers and Node.
// The types (schema.d.ts) are generated from api/openapi.yaml by
// openapi-typescript (`make sdk-ts`); openapi-fetch turns them into a
// fetch client, so every path, body and answer is checked by TypeScript.
import createClient, { type Client, type ClientOptions, type Middleware } from "openapi-fetch";

import type { components, operations, paths } from "./schema";

export type { components, operations, paths };

/** A Portico answer body by schema name, e.g. `Schema<"User">`. */
export type Schema<Name extends keyof components["schemas"]> = components["schemas"][Name];

/** The RFC 9457 problem document of every error answer. */
export type Problem = Schema<"Problem">;

/** The typed client: `client.GET("/api/v1/users/me")`, `client.POST(...)`. */
export type PorticoClient = Client<paths>;

/** A bearer token, or a function returning the current one (or none). */
export type TokenSource = string | (() => string | null | undefined);

export interface PorticoOptions extends ClientOptions {
  /**
   * Sent as `Authorization: Bearer <token>`: the admin token, an API key,
   * or a session token from POST /api/v1/sessions. A function is asked
   * before every request, so a client made before sign-in picks up the
   * session once there is one.
   */
  token?: TokenSource;
}

/** bearerAuth sets the Authorization header of every request that has a token. */
export function bearerAuth(token: TokenSource): Middleware {
  return {
    onRequest({ request }) {
      const value = typeof token === "function" ? token() : token;
      if (value) request.headers.set("Authorization", `Bearer ${value}`);
      return request;
    },
  };
}

/**
 * createPorticoClient returns a typed client of the Portico API at
 * `baseUrl` (the service's origin, e.g. https://portico.example.com).
 */
export function createPorticoClient({ token, ...options }: PorticoOptions = {}): PorticoClient {
  const client = createClient<paths>(options);
  if (token !== undefined) client.use(bearerAuth(token));
  return client;
}

/** isProblem tells a Portico problem document from other error bodies. */
export function isProblem(body: unknown): body is Problem {
  return typeof body === "object" && body !== null && typeof (body as Problem).code === "string" &&
    typeof (body as Problem).status === "number";
}
