import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { VersionConflict } from '../common/errors';

/**
 * Optimistic concurrency done right (docs/stack.md pitfall 2: @VersionColumn does not stop lost updates):
 * `UPDATE … SET …, version = version + 1 WHERE id = :id AND version = :expected`, and exactly one
 * row must change, else 409 and nothing is written.
 */
export async function updateVersioned<E extends ObjectLiteral>(
  em: EntityManager,
  entity: EntityTarget<E>,
  id: number,
  expectedVersion: number,
  set: QueryDeepPartialEntity<E>,
): Promise<void> {
  const result = await em
    .createQueryBuilder()
    .update(entity)
    .set({ ...set, version: () => 'version + 1' })
    .where('id = :id AND version = :expectedVersion', { id, expectedVersion })
    .execute();
  if (result.affected !== 1) throw new VersionConflict();
}
