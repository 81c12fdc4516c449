import { AlertRefresh } from '../projects/alert-refresh';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService, diffViews } from '../audit/audit.service';
import { Actor } from '../common/actor';
import { Action } from '../common/permissions';
import { Permissions } from '../common/permissions.service';
import { Clock } from '../common/clock';
import {
  FieldError,
  fieldError,
  InvalidInput,
  NotFound,
  ruleViolation,
  VersionConflict,
} from '../common/errors';
import { fenToWan, formatNullable, toUnits, WAN } from '../common/money';
import { message } from '../common/messages';
import { Database } from '../database/database';
import { updateVersioned } from '../database/versioned-update';
import { Project } from '../projects/project.entity';
import { ProjectsService } from '../projects/projects.service';
import {
  CreateBudgetRevisionDto,
  CreateFundingLineDto,
  CreatePaymentDto,
  UpdateFundingLineDto,
  UpdatePaymentDto,
} from './dto/funding.dto';
import { FundingLine, Payment, SOURCE_LABELS } from './funding.entities';
import { BudgetRevision } from '../projects/budget-revision.entity';
import { FiguresService } from '../projects/figures.service';
import { moneyView, moneyWarnings } from '../projects/project-figures';
import { lineView, paymentView, revisionView } from './funding.view';
import { withdrawalView } from '../projects/progress.view';
import { assertPeriodOpen, FROM_THE_START } from '../projects/period-lock';

/** Funding lines per project, and payments per project (docs/limits.md). */
const MAX_LINES_PER_PROJECT = 1_000;

/** Budgets, funding lines and payments of a project. Only finance and admin write money. */
@Injectable()
export class FundingService {
  constructor(
    private readonly db: Database,
    private readonly projects: ProjectsService,
    private readonly figures: FiguresService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly alerts: AlertRefresh,
    private readonly permissions: Permissions,
  ) {}

  // ---- reads ----------------------------------------------------------------------------

  async funding(actor: Actor, projectId: number, asOf?: string) {
    await this.projects.findInScope(actor, projectId);
    const day = asOf ?? this.clock.today();
    const lines = await this.db
      .reader(FundingLine)
      .find({ where: { projectId }, order: { id: 'ASC' } });
    const f = (await this.figures.figures([projectId], day)).get(projectId)!;
    const bySource = new Map<string, { committed: bigint; received: bigint }>();
    for (const l of lines) {
      const s = bySource.get(l.source) ?? { committed: 0n, received: 0n };
      if (l.committedOn && l.committedOn <= day) s.committed += BigInt(l.committedFen);
      if (l.receivedOn && l.receivedOn <= day) s.received += BigInt(l.receivedFen);
      bySource.set(l.source, s);
    }
    const items = lines.map(lineView);
    return {
      asOf: day,
      items,
      total: items.length,
      page: 1,
      pageSize: items.length,
      summary: { status: f.status, ...moneyView(f) },
      bySource: [...bySource.entries()].map(([source, s]) => ({
        source,
        label: SOURCE_LABELS[source as keyof typeof SOURCE_LABELS],
        committedWan: fenToWan(s.committed),
        receivedWan: fenToWan(s.received),
      })),
      warnings: moneyWarnings(f),
    };
  }

  async revisions(actor: Actor, projectId: number) {
    await this.projects.findInScope(actor, projectId);
    const rows = await this.db
      .reader(BudgetRevision)
      .createQueryBuilder('b')
      .where('b.projectId = :projectId', { projectId })
      .orderBy("COALESCE(b.effectiveOn, '')", 'ASC')
      .addOrderBy('b.id', 'ASC')
      .getMany();
    const items = rows.map((r) => ({ ...revisionView(r), ...withdrawalView(r) }));
    return { items, total: items.length, page: 1, pageSize: items.length };
  }

  async payments(actor: Actor, projectId: number) {
    await this.projects.findInScope(actor, projectId);
    const rows = await this.db
      .reader(Payment)
      .find({ where: { projectId }, order: { paidOn: 'ASC', id: 'ASC' } });
    const items = rows.map(paymentView);
    return { items, total: items.length, page: 1, pageSize: items.length };
  }

  /**
   * The project's payments that already carry this 凭证号 (trimmed; issue 30 point 3): the web
   * asks before saving a payment and warns when `used`.
   */
  async referenceCheck(actor: Actor, projectId: number, reference: string) {
    await this.projects.findInScope(actor, projectId);
    const rows = await this.db.reader(Payment).find({
      where: { projectId, reference: reference.trim() },
      order: { paidOn: 'ASC', id: 'ASC' },
    });
    const payments = rows.map(paymentView);
    return {
      reference: reference.trim(),
      used: payments.length > 0,
      message: payments.length ? message('PAYMENT_REFERENCE_USED') : null,
      payments,
    };
  }

  // ---- writes ---------------------------------------------------------------------------

  /** Locks the project (PostgreSQL) and checks scope; every money write goes through here. */
  private async project(
    em: EntityManager,
    actor: Actor,
    projectId: number,
    action: Action = 'funding.write',
  ): Promise<Project> {
    this.permissions.require(actor, action);
    await this.db.lockRow(em, 'project', projectId);
    return this.projects.findWritable(actor, projectId, em);
  }

  /**
   * A project holds at most {@link MAX_LINES_PER_PROJECT} funding lines and as many payments, so a
   * project's sums stay far inside 64 bits (1,000 × 10^14 fen) whatever is entered (docs/limits.md).
   */
  private async roomFor(
    em: EntityManager,
    table: 'funding_line' | 'payment',
    projectId: number,
  ): Promise<void> {
    const [row] = (await em.query(
      `SELECT COUNT(*) AS n FROM ${table} WHERE project_id = ${Number(projectId)}`,
    )) as { n: string | number }[];
    if (Number(row.n) >= MAX_LINES_PER_PROJECT)
      throw ruleViolation(table === 'payment' ? 'amountWan' : 'committedWan', 'TOO_MANY_LINES');
  }

  private notFuture(path: string, day: string | null | undefined, errors: FieldError[]): void {
    if (day && day > this.clock.today()) errors.push(fieldError(path, 'DATE_IN_FUTURE', day));
  }

  /**
   * Warnings of the project after a write: the same figures as of today as every read shows, read
   * inside the transaction (a line committed in the future warns on neither the POST nor the GET).
   */
  private async warningsAfter(em: EntityManager, projectId: number) {
    const f = await this.figures.one(projectId, this.clock.today(), em);
    return f ? moneyWarnings(f) : [];
  }

  /**
   * The budget in force today: the revision not withdrawn with the latest effective day (then the
   * latest entered); none left = 未测算.
   */
  static async currentBudget(em: EntityManager, projectId: number): Promise<number | null> {
    const r = await em
      .createQueryBuilder(BudgetRevision, 'b')
      .where('b.projectId = :projectId', { projectId })
      .andWhere('b.withdrawnAt IS NULL')
      .orderBy("COALESCE(b.effectiveOn, '')", 'DESC')
      .addOrderBy('b.id', 'DESC')
      .getOne();
    return r?.budgetFen ?? null;
  }

  async addRevision(actor: Actor, projectId: number, dto: CreateBudgetRevisionDto) {
    const errors: FieldError[] = [];
    this.notFuture('effectiveOn', dto.effectiveOn, errors);
    if (errors.length) throw new InvalidInput(errors);
    return this.db.transaction(async (em) => {
      const p = await this.project(em, actor, projectId, 'budget.revise');
      // a revision without a day is in force from the beginning: every submitted month
      await assertPeriodOpen(em, [projectId], { effectiveOn: dto.effectiveOn ?? FROM_THE_START });
      const now = this.clock.now().toISOString();
      const rev = await em.save(
        BudgetRevision,
        em.create(BudgetRevision, {
          projectId,
          effectiveOn: dto.effectiveOn,
          budgetFen: toUnits(dto.budgetWan, WAN),
          reason: dto.reason.trim(),
          createdBy: actor.username,
          createdAt: now,
        }),
      );
      const budgetFen = await FundingService.currentBudget(em, projectId);
      await updateVersioned(em, Project, projectId, p.version, { budgetFen, updatedAt: now });
      const view = revisionView(rev);
      await this.audit.record(em, actor, {
        action: 'create',
        entity: 'budget_revision',
        entityId: rev.id,
        projectId,
        changes: diffViews(null, view, ['id', 'projectId', 'createdAt']),
      });
      if (budgetFen !== p.budgetFen) {
        await this.audit.record(em, actor, {
          action: 'budget',
          entity: 'project',
          entityId: projectId,
          projectId,
          changes: {
            budgetWan: {
              old: formatNullable(p.budgetFen, WAN),
              new: formatNullable(budgetFen, WAN),
            },
          },
        });
      }
      // the budget in force moves the funding gap (the funding_gap alert)
      await this.alerts.refresh(em, actor, [projectId]);
      return {
        ...view,
        projectBudgetWan: formatNullable(budgetFen, WAN),
        warnings: await this.warningsAfter(em, projectId),
      };
    });
  }

  /** Amount/date pairs must go together; received money cannot be in the future. */
  private checkLine(
    l: Pick<FundingLine, 'committedFen' | 'committedOn' | 'receivedFen' | 'receivedOn'>,
  ): void {
    const errors: FieldError[] = [];
    if (l.committedFen > 0 && !l.committedOn)
      errors.push(fieldError('committedOn', 'DATE_REQUIRED_FOR_AMOUNT'));
    if (l.receivedFen > 0 && !l.receivedOn)
      errors.push(fieldError('receivedOn', 'DATE_REQUIRED_FOR_AMOUNT'));
    if (l.committedFen === 0 && l.receivedFen === 0)
      errors.push(fieldError('committedWan', 'AMOUNT_REQUIRED'));
    this.notFuture('receivedOn', l.receivedOn, errors);
    if (errors.length) throw new InvalidInput(errors);
  }

  async addLine(actor: Actor, projectId: number, dto: CreateFundingLineDto) {
    const now = this.clock.now().toISOString();
    const line: Partial<FundingLine> = {
      projectId,
      source: dto.source,
      committedFen: dto.committedWan === undefined ? 0 : toUnits(dto.committedWan, WAN),
      committedOn: dto.committedOn ?? null,
      receivedFen: dto.receivedWan === undefined ? 0 : toUnits(dto.receivedWan, WAN),
      receivedOn: dto.receivedOn ?? null,
      note: dto.note ?? null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    this.checkLine(line as FundingLine);
    return this.db.transaction(async (em) => {
      await this.project(em, actor, projectId);
      await this.roomFor(em, 'funding_line', projectId);
      await assertPeriodOpen(em, [projectId], {
        committedOn: line.committedOn,
        receivedOn: line.receivedOn,
      });
      const saved = await em.save(FundingLine, em.create(FundingLine, line));
      const view = lineView(saved);
      await this.audit.record(em, actor, {
        action: 'create',
        entity: 'funding_line',
        entityId: saved.id,
        projectId,
        changes: diffViews(null, view, ['id', 'projectId', 'version']),
      });
      // committed money moves the funding gap (the funding_gap alert)
      await this.alerts.refresh(em, actor, [projectId]);
      return { ...view, warnings: await this.warningsAfter(em, projectId) };
    });
  }

  async updateLine(actor: Actor, projectId: number, lineId: number, dto: UpdateFundingLineDto) {
    return this.db.transaction(async (em) => {
      await this.project(em, actor, projectId);
      const l = await em.findOneBy(FundingLine, { id: lineId, projectId });
      if (!l) throw new NotFound('资金');
      if (l.version !== dto.version) throw new VersionConflict();
      const next: FundingLine = { ...l };
      if (dto.source !== undefined) next.source = dto.source;
      if (dto.committedWan !== undefined) next.committedFen = toUnits(dto.committedWan, WAN);
      if (dto.committedOn !== undefined) next.committedOn = dto.committedOn;
      if (dto.receivedWan !== undefined) next.receivedFen = toUnits(dto.receivedWan, WAN);
      if (dto.receivedOn !== undefined) next.receivedOn = dto.receivedOn;
      if (dto.note !== undefined) next.note = dto.note;
      this.checkLine(next);
      // a note alone changes no figure; anything else may, as of the old and the new days
      if (
        JSON.stringify(lineView({ ...l, note: null })) !==
        JSON.stringify(lineView({ ...next, note: null }))
      )
        await assertPeriodOpen(em, [projectId], {
          committedOn: [l.committedOn, next.committedOn],
          receivedOn: [l.receivedOn, next.receivedOn],
        });
      next.updatedAt = this.clock.now().toISOString();
      const { id: _i, projectId: _p, version: _v, createdAt: _c, ...set } = next;
      await updateVersioned(em, FundingLine, lineId, dto.version, set);
      next.version = l.version + 1;
      await this.audit.record(em, actor, {
        action: 'update',
        entity: 'funding_line',
        entityId: lineId,
        projectId,
        changes: diffViews(lineView(l), lineView(next)),
      });
      await this.alerts.refresh(em, actor, [projectId]);
      return { ...lineView(next), warnings: await this.warningsAfter(em, projectId) };
    });
  }

  async deleteLine(actor: Actor, projectId: number, lineId: number, version: number) {
    return this.db.transaction(async (em) => {
      await this.project(em, actor, projectId);
      const l = await em.findOneBy(FundingLine, { id: lineId, projectId });
      if (!l) throw new NotFound('资金');
      await assertPeriodOpen(em, [projectId], {
        committedOn: l.committedOn,
        receivedOn: l.receivedOn,
      });
      const r = await em
        .createQueryBuilder()
        .delete()
        .from(FundingLine)
        .where('id = :id AND version = :version', { id: lineId, version })
        .execute();
      if (r.affected !== 1) throw new VersionConflict();
      await this.audit.record(em, actor, {
        action: 'delete',
        entity: 'funding_line',
        entityId: lineId,
        projectId,
        changes: diffViews(lineView(l), null, ['id', 'projectId', 'version']),
      });
      await this.alerts.refresh(em, actor, [projectId]);
      return { deleted: true, id: lineId, warnings: await this.warningsAfter(em, projectId) };
    });
  }

  private checkPayment(p: Pick<Payment, 'amountFen' | 'paidOn'>): void {
    const errors: FieldError[] = [];
    if (p.amountFen <= 0) errors.push(fieldError('amountWan', 'AMOUNT_MUST_BE_POSITIVE'));
    this.notFuture('paidOn', p.paidOn, errors);
    if (errors.length) throw new InvalidInput(errors);
  }

  async addPayment(actor: Actor, projectId: number, dto: CreatePaymentDto) {
    const now = this.clock.now().toISOString();
    const payment: Partial<Payment> = {
      projectId,
      paidOn: dto.paidOn,
      payee: dto.payee.trim(),
      amountFen: toUnits(dto.amountWan, WAN),
      reference: dto.reference ?? null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    this.checkPayment(payment as Payment);
    return this.db.transaction(async (em) => {
      await this.project(em, actor, projectId);
      await this.roomFor(em, 'payment', projectId);
      await assertPeriodOpen(em, [projectId], { paidOn: payment.paidOn });
      const saved = await em.save(Payment, em.create(Payment, payment));
      const view = paymentView(saved);
      await this.audit.record(em, actor, {
        action: 'create',
        entity: 'payment',
        entityId: saved.id,
        projectId,
        changes: diffViews(null, view, ['id', 'projectId', 'version']),
      });
      return { ...view, warnings: await this.warningsAfter(em, projectId) };
    });
  }

  async updatePayment(actor: Actor, projectId: number, paymentId: number, dto: UpdatePaymentDto) {
    return this.db.transaction(async (em) => {
      await this.project(em, actor, projectId);
      const p = await em.findOneBy(Payment, { id: paymentId, projectId });
      if (!p) throw new NotFound('支付');
      if (p.version !== dto.version) throw new VersionConflict();
      const next: Payment = { ...p };
      if (dto.paidOn !== undefined) next.paidOn = dto.paidOn;
      if (dto.payee !== undefined) next.payee = dto.payee.trim();
      if (dto.amountWan !== undefined) next.amountFen = toUnits(dto.amountWan, WAN);
      if (dto.reference !== undefined) next.reference = dto.reference;
      this.checkPayment(next);
      await assertPeriodOpen(em, [projectId], { paidOn: [p.paidOn, next.paidOn] });
      next.updatedAt = this.clock.now().toISOString();
      const { id: _i, projectId: _p, version: _v, createdAt: _c, ...set } = next;
      await updateVersioned(em, Payment, paymentId, dto.version, set);
      next.version = p.version + 1;
      await this.audit.record(em, actor, {
        action: 'update',
        entity: 'payment',
        entityId: paymentId,
        projectId,
        changes: diffViews(paymentView(p), paymentView(next)),
      });
      return { ...paymentView(next), warnings: await this.warningsAfter(em, projectId) };
    });
  }

  async deletePayment(actor: Actor, projectId: number, paymentId: number, version: number) {
    return this.db.transaction(async (em) => {
      await this.project(em, actor, projectId);
      const p = await em.findOneBy(Payment, { id: paymentId, projectId });
      if (!p) throw new NotFound('支付');
      await assertPeriodOpen(em, [projectId], { paidOn: p.paidOn });
      const r = await em
        .createQueryBuilder()
        .delete()
        .from(Payment)
        .where('id = :id AND version = :version', { id: paymentId, version })
        .execute();
      if (r.affected !== 1) throw new VersionConflict();
      await this.audit.record(em, actor, {
        action: 'delete',
        entity: 'payment',
        entityId: paymentId,
        projectId,
        changes: diffViews(paymentView(p), null, ['id', 'projectId', 'version']),
      });
      return { deleted: true, id: paymentId, warnings: await this.warningsAfter(em, projectId) };
    });
  }
}
