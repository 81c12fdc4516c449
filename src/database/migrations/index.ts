// Migrations are listed explicitly (not globbed) so that ts-jest, ts-node and the built app
// load exactly the same set. One set per dialect (STACK pitfall 4), each generated from the
// entities by scripts/generate-migration.ts and checked by test/e2e/schema.e2e-spec.ts.
import { Init1795421632779 } from './postgres/1795421632779-Init';
import { Init1795421632071 } from './sqlite/1795421632071-Init';

export const SQLITE_MIGRATIONS: Function[] = [Init1795421632071];
export const POSTGRES_MIGRATIONS: Function[] = [Init1795421632779];
