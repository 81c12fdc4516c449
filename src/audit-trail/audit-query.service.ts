import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { User } from '../auth/user.entity';
import { Milestone } from '../milestones/milestone.entity';
import { Project } from '../projects/project.entity';
import { displayNames } from '../users/display-names';
import { Actor } from '../common/actor';
import { Page, pageWindow } from '../common/page';
import { Database } from '../database/database';
import { ProjectsService } from '../projects/projects.service';
import { RegionsService } from '../regions/regions.service';
import { AuditLog } from '../audit/audit-log.entity';
import { AuditQuery } from './dto/audit-query.dto';
import { AuditView } from './dto/audit.view';

const view = (a: AuditLog): AuditView => ({
  id: a.id,
  at: a.at,
  actorId: a.actorId,
  actorName: a.actorName,
  actorDisplayName: null,
  objectName: null,
  action: a.action,
  entity: a.entity,
  entityId: a.entityId,
  projectId: a.projectId,
  changes: a.changes,
});

/** Reads of the audit log; nothing here or anywhere else edits or deletes its rows. */
@Injectable()
export class AuditQueryService {
  constructor(
    private readonly db: Database,
    private readonly projects: ProjectsService,
    private readonly regions: RegionsService,
  ) {}

  /** Every write that touched a project (its fields, reports, milestones …), oldest first. */
  async history(
    actor: Actor,
    projectId: number,
    page?: number,
    pageSize?: number,
  ): Promise<Page<AuditView>> {
    await this.projects.findInScope(actor, projectId);
    const w = pageWindow(page, pageSize);
    const [rows, total] = await this.db.reader(AuditLog).findAndCount({
      where: { projectId },
      order: { id: 'ASC' },
      skip: w.offset,
      take: w.pageSize,
    });
    return { items: await this.named(rows), total, page: w.page, pageSize: w.pageSize };
  }

  /**
   * The entries with the actors' 姓名 and the names of what they are about: a milestone's, a
   * project's, a user's (姓名（用户名）); a deleted one keeps its id.
   */
  private async named(rows: AuditLog[]): Promise<AuditView[]> {
    const people = await displayNames(
      this.db.reader(User),
      rows.map((r) => r.actorName),
    );
    const idsOf = (entity: string) => [
      ...new Set(rows.filter((r) => r.entity === entity).map((r) => r.entityId)),
    ];
    const [milestones, projects, users] = await Promise.all([
      this.namesOf(Milestone, idsOf('milestone'), (m) => m.name),
      this.namesOf(Project, idsOf('project'), (p) => p.name),
      this.namesOf(User, idsOf('user'), (u) =>
        u.displayName ? `${u.displayName}（${u.username}）` : u.username,
      ),
    ]);
    const names: Record<string, Map<number, string>> = {
      milestone: milestones,
      project: projects,
      user: users,
    };
    return rows.map((r) => ({
      ...view(r),
      actorDisplayName: people.get(r.actorName) ?? null,
      objectName: names[r.entity]?.get(r.entityId) ?? null,
    }));
  }

  private async namesOf<T extends { id: number }>(
    entity: new () => T,
    ids: number[],
    name: (row: T) => string,
  ): Promise<Map<number, string>> {
    if (!ids.length) return new Map();
    const rows = await this.db.reader(entity).findBy({ id: In(ids) } as never);
    return new Map(rows.map((r) => [r.id, name(r)]));
  }

  /** The whole log (admin), filtered; a regional admin sees the rows of projects in their region. */
  async search(actor: Actor, q: AuditQuery): Promise<Page<AuditView>> {
    const w = pageWindow(q.page, q.pageSize);
    const qb = this.db.reader(AuditLog).createQueryBuilder('a');
    const scope = await this.regions.scopePath(actor);
    if (scope) {
      qb.andWhere(
        'a.projectId IN (SELECT p.id FROM project p JOIN region r ON r.id = p.region_id WHERE r.path LIKE :scope)',
        { scope: `${scope}%` },
      );
    }
    if (q.actorId !== undefined) qb.andWhere('a.actorId = :actorId', { actorId: q.actorId });
    if (q.username !== undefined) qb.andWhere('a.actorName = :username', { username: q.username });
    if (q.entity !== undefined) qb.andWhere('a.entity = :entity', { entity: q.entity });
    if (q.entityId !== undefined) qb.andWhere('a.entityId = :entityId', { entityId: q.entityId });
    if (q.from !== undefined) qb.andWhere('a.at >= :from', { from: q.from });
    if (q.to !== undefined) qb.andWhere('a.at < :to', { to: `${q.to}T99` }); // ISO instants of that day sort below "T99"
    const total = await qb.getCount();
    const rows = await qb.orderBy('a.id', 'DESC').offset(w.offset).limit(w.pageSize).getMany();
    return { items: await this.named(rows), total, page: w.page, pageSize: w.pageSize };
  }
}
