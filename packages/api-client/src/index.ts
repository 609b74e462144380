/**
 * A typed client for the ServiceLoop API, generated from docs/openapi.json (`npm run openapi`
 * rewrites schema.ts): paths, parameters, bodies and answers — errors included — are checked by
 * the compiler. openapi-fetch adds no code per operation, only these types over `fetch`.
 */
import createClient, { type ClientOptions } from 'openapi-fetch';
import type { paths } from './schema';

export type { components, operations, paths } from './schema';

export function createApiClient(options: ClientOptions) {
  return createClient<paths>(options);
}
export type ApiClient = ReturnType<typeof createApiClient>;
