import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { AuditChanges, AuditLog } from './audit-log.entity';

export interface AuditEntry {
  action: string;
  entity: string;
  entityId: number;
  projectId?: number | null;
  changes: AuditChanges;
  /** When: the write's own instant where several rows make one act (an import's rows share it). */
  at?: string;
}

/** Field-by-field old → new of two plain views; only changed fields. */
export function diffViews(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  ignore: readonly string[] = ['version', 'updatedAt', 'createdAt', 'warnings'],
): AuditChanges {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const out: AuditChanges = {};
  for (const k of keys) {
    if (ignore.includes(k)) continue;
    const o = before ? (before[k] ?? null) : null;
    const n = after ? (after[k] ?? null) : null;
    if (JSON.stringify(o) !== JSON.stringify(n)) out[k] = { old: o, new: n };
  }
  return out;
}

/**
 * Audit rows are written explicitly by each service inside the write's own transaction
 * (docs/stack.md pitfall 5: subscribers see no old values on update()), so a write and its audit row
 * commit or roll back together.
 */
@Injectable()
export class AuditService {
  constructor(private readonly clock: Clock) {}

  async record(em: EntityManager, actor: Actor, entry: AuditEntry): Promise<void> {
    if (!Object.keys(entry.changes).length) return;
    await em.insert(AuditLog, {
      at: entry.at ?? this.clock.now().toISOString(),
      actorId: actor.id,
      actorName: actor.username,
      action: entry.action,
      entity: entry.entity,
      entityId: entry.entityId,
      projectId: entry.projectId ?? null,
      // simple-json serializes the object; the cast is only for the query builder's typing
      changes: entry.changes as never,
    });
  }
}
