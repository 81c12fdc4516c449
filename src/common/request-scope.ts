import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What one HTTP request shares between the places it passes through — today the database
 * generation, read once per request (the auth guard's session check and the list's page cache
 * both need it; on PostgreSQL each read is a round trip). Set by a middleware in configureApp.
 */
interface RequestScope {
  generation?: Promise<string>;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();
