import { AlertRefresh } from '../projects/alert-refresh';
import { HttpStatus, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { Permissions } from '../common/permissions.service';
import { AppError, fieldError, ruleViolation } from '../common/errors';
import { reserveIds } from '../database/bulk';
import { Database } from '../database/database';
import {
  ArchiveRefused,
  CellRefused,
  checkArchive,
  NotAWorkbook,
  readWorkbook,
  WorkbookTooLarge,
} from '../excel/workbook-reader';
import { BudgetRevision } from '../projects/budget-revision.entity';
import { Project } from '../projects/project.entity';
import { insertCreatedProjects, newProjectRow } from '../projects/project-creation';
import { RegionsService } from '../regions/regions.service';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { Inject } from '@nestjs/common';
import { Answer, jobAccepted } from '../jobs/answer';
import { JobsService } from '../jobs/jobs.service';
import { ImportProjectsDto } from './dto/import.dto';
import { WorkbookPool } from '../workers/workbook-pool';
import { tempXlsx } from '../excel/send-xlsx';
import { columnLetter, Issue, parsePlanSheet, ParsedRow } from './plan-table.parser';
import { ImportResult, ImportRowResult } from './dto/import.view';
import { planImport, projectKey, rowFields } from './import-planner';
import { assertPeriodOpen } from '../projects/period-lock';

export type { ImportRowResult } from './dto/import.view';

/** How many rows, errors and warnings a result lists (a job result stays small; the counts stay exact). */
const RESULT_LIST_CAP = 1_000;
const capped = <T>(list: T[]): [T[], number] => [
  list.slice(0, RESULT_LIST_CAP),
  Math.max(0, list.length - RESULT_LIST_CAP),
];

/** 400 carrying every problem by sheet, row and column; nothing was written. */
class ImportInvalid extends AppError {
  constructor(
    readonly issues: Issue[],
    readonly warnings: Issue[],
  ) {
    super(HttpStatus.BAD_REQUEST, 'IMPORT_INVALID');
  }

  override toBody() {
    const [errors, errorsOmitted] = capped(this.issues);
    const [warnings, warningsOmitted] = capped(this.warnings);
    return {
      ...super.toBody(),
      errorsOmitted,
      warningsOmitted,
      errors: errors.map((i) => ({
        path: `${i.sheet}!${i.column}${i.row}`,
        code: i.code as never,
        message: i.message,
        sheet: i.sheet,
        row: i.row,
        column: i.column,
        field: i.field,
      })),
      warnings,
    };
  }
}

const ARCHIVE_PROBLEMS: Record<ArchiveRefused['problem'], string> = {
  not_zip: '不是有效的压缩包',
  entries: '压缩包内文件过多',
  part_size: '压缩包内单个文件解压后过大',
  total_size: '压缩包解压后总大小过大',
  ratio: '压缩比异常（疑似压缩炸弹）',
  size_mismatch: '压缩包内文件的实际大小与声明不符',
  unsupported: '压缩包使用了不支持的格式（加密、ZIP64或其他压缩方式）',
};

/** A workbook the reader refused, as the 400 a user reads: every cap names what it hit. */
function workbookRefusal(e: unknown): unknown {
  if (e instanceof WorkbookTooLarge) {
    const detail = {
      sheets: `工作表不能超过${e.limit}个`,
      rows: `工作表“${e.sheet}”超过${e.limit}行`,
      cells: `非空单元格不能超过${e.limit}个`,
      text: `文字总量不能超过${e.limit}个字符`,
    }[e.what];
    return new AppError(HttpStatus.BAD_REQUEST, 'IMPORT_TOO_LARGE', [
      fieldError('file', 'IMPORT_TOO_LARGE', detail),
    ]);
  }
  if (e instanceof ArchiveRefused) {
    return new AppError(HttpStatus.BAD_REQUEST, 'IMPORT_ARCHIVE_REFUSED', [
      fieldError(
        'file',
        'IMPORT_ARCHIVE_REFUSED',
        `${ARCHIVE_PROBLEMS[e.problem]}${e.part ? `（${e.part}）` : ''}`,
      ),
    ]);
  }
  if (e instanceof CellRefused) {
    const column = columnLetter(e.column);
    const where = `工作表“${e.sheet}”第${e.row}行${column}列`;
    const issue: Issue =
      e.reason === 'too_long'
        ? {
            severity: 'error',
            sheet: e.sheet,
            row: e.row,
            column,
            field: '',
            code: 'CELL_TOO_LONG',
            message: `${where}：单元格内容超过${e.limit}个字符，已停止读取`,
          }
        : {
            severity: 'error',
            sheet: e.sheet,
            row: e.row,
            column,
            field: '',
            code: 'GARBLED_TEXT',
            message: `${where}：含有乱码字符（\uFFFD），请检查文件编码`,
          };
    return new ImportInvalid([issue], []);
  }
  if (e instanceof NotAWorkbook)
    return new AppError(HttpStatus.BAD_REQUEST, 'IMPORT_NOT_XLSX', [
      fieldError('file', 'IMPORT_NOT_XLSX'),
    ]);
  return e;
}

/**
 * Imports a plan table into one county: every row checked first (errors import nothing),
 * re-importing the same table updates the same projects (matched by region + name + plan year)
 * and changes nothing when nothing changed. One transaction; every created or changed project is
 * audited as an import.
 */
@Injectable()
export class ImportsService {
  constructor(
    private readonly db: Database,
    private readonly regions: RegionsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobsService,
    private readonly alerts: AlertRefresh,
    private readonly permissions: Permissions,
    private readonly pool: WorkbookPool,
  ) {}

  /**
   * `POST /api/imports/projects`: checked before anything is queued; a large file (or `async`)
   * runs as a job (202), a dry run answers 200, a real one 201.
   */
  async importProjects(
    actor: Actor,
    upload: Express.Multer.File | undefined,
    dto: ImportProjectsDto,
  ): Promise<Answer> {
    const input = this.accepted(upload);
    const dryRun = dto.dryRun ?? false;
    if (dto.async || input.buffer.length > this.config.importSyncMaxBytes) {
      const job = await this.jobs.start(actor, 'project_import', async (ctx) => ({
        result: await this.run(actor, input, dto.regionId, dryRun, ctx.progress),
      }));
      return jobAccepted(job);
    }
    const result = await this.run(actor, input, dto.regionId, dryRun);
    return { status: dryRun ? HttpStatus.OK : HttpStatus.CREATED, json: result };
  }

  /**
   * The dry run's errors and warnings as a workbook to download (校验结果), for the same upload
   * and county as the dry run; nothing is written.
   */
  async problemsWorkbook(
    actor: Actor,
    upload: Express.Multer.File | undefined,
    dto: ImportProjectsDto,
  ): Promise<Answer> {
    const input = this.accepted(upload);
    const result = await this.run(actor, input, dto.regionId, true);
    const file = tempXlsx('import-problems');
    await this.pool.run('import-problems', { file, result });
    const stem = input.name.replace(/\.xlsx$/i, '');
    return { status: 200, file, name: `${stem}-校验结果.xlsx`, asciiStem: 'import-problems' };
  }

  /** The upload with its real name, once what can be refused before reading it was checked. */
  private accepted(upload: Express.Multer.File | undefined): { buffer: Buffer; name: string } {
    if (!upload?.buffer?.length)
      throw new AppError(HttpStatus.BAD_REQUEST, 'IMPORT_NO_FILE', [
        fieldError('file', 'IMPORT_NO_FILE'),
      ]);
    // multer hands the name over as latin1; staff's file names are Chinese
    const input = {
      buffer: upload.buffer,
      name: Buffer.from(upload.originalname, 'latin1').toString('utf8'),
    };
    this.precheck(input);
    return input;
  }

  /**
   * What can be refused without reading a byte of the sheets — the archive's directory (entry
   * count, declared sizes, compression ratio) — refused now, before a job is queued for it.
   */
  precheck(file: { buffer: Buffer }): void {
    try {
      checkArchive(file.buffer);
    } catch (e) {
      throw workbookRefusal(e);
    }
  }

  async run(
    actor: Actor,
    file: { buffer: Buffer; name: string },
    regionIdGiven: number | undefined,
    dryRun: boolean,
    progress?: (p: number) => void,
  ): Promise<ImportResult> {
    // a county user's county is implied; anyone else names the county
    const regionId = regionIdGiven ?? actor.regionId;
    if (regionId === null) throw ruleViolation('regionId', 'FIELD_REQUIRED');
    const region = await this.regions.findNamedInScope(actor, regionId);
    if (regionIdGiven === undefined && region.level !== 'county')
      throw ruleViolation('regionId', 'FIELD_REQUIRED');
    if (region.level !== 'county')
      throw ruleViolation('regionId', 'REGION_NOT_COUNTY', region.name);
    let sheets;
    try {
      sheets = await readWorkbook(
        file.buffer,
        { maxSheets: this.config.importMaxSheets, maxRows: this.config.importMaxRows },
        (n) => progress?.(Math.min(40, n / 250)),
      );
    } catch (e) {
      throw workbookRefusal(e);
    }
    const parserIssues: Issue[] = [];
    const parsed: Awaited<ReturnType<typeof parsePlanSheet>>[] = [];
    for (const s of sheets) parsed.push(await parsePlanSheet(s, parserIssues));
    if (parsed.every((p) => p.skipped))
      throw new AppError(HttpStatus.BAD_REQUEST, 'IMPORT_NO_TABLE', [
        fieldError('file', 'IMPORT_NO_TABLE'),
      ]);
    // no forced collection here: a full GC of a large heap stalls every other request (a poll of
    // /api/health waited 0.8 s on it); the reader's caps bound what is kept instead
    progress?.(50);

    const existing = await this.db
      .reader(Project)
      .createQueryBuilder('p')
      .where('p.regionId = :regionId AND p.archivedAt IS NULL', { regionId })
      .getMany();
    const byKey = new Map(existing.map((p) => [projectKey(p), p]));
    const budgets = await this.budgetHistory(regionId);
    // what each row does (create, update, unchanged, invalid) and every row's problems
    const { rows, results, issues } = planImport(
      (action) => this.permissions.can(actor, action),
      parsed.flatMap((p) => p.rows),
      parserIssues,
      byKey,
      budgets,
    );
    const errors = issues.filter((i) => i.severity === 'error');
    const warnings = issues.filter((i) => i.severity === 'warning');
    const summary = (): ImportResult => ({
      dryRun,
      file: file.name,
      regionId,
      sheets: parsed.map((p) => ({ name: p.sheet, imported: !p.skipped, rows: p.rows.length })),
      created: results.filter((r) => r.action === 'create').length,
      updated: results.filter((r) => r.action === 'update').length,
      unchanged: results.filter((r) => r.action === 'unchanged').length,
      invalid: results.filter((r) => r.action === 'invalid').length,
      ...(() => {
        const [cappedRows, rowsOmitted] = capped(results);
        const [cappedWarnings, warningsOmitted] = capped(warnings);
        const [cappedErrors, errorsOmitted] = capped(errors);
        return {
          rows: cappedRows,
          rowsOmitted,
          warnings: cappedWarnings,
          warningsOmitted,
          errors: cappedErrors,
          errorsOmitted,
        };
      })(),
    });
    if (dryRun) return summary();
    if (errors.length) throw new ImportInvalid(errors, warnings);
    progress?.(60);

    await this.db.transaction(async (em) => {
      const now = this.clock.now().toISOString();
      const today = this.clock.today();
      const sourceOf = (r: ParsedRow): Project['source'] => {
        const rowWarnings = warnings
          .filter((w) => w.sheet === r.sheet && w.row === r.row)
          .map((w) => ({ code: w.code, message: w.message }));
        return {
          type: 'import',
          document: file.name,
          sheet: r.sheet,
          row: r.row,
          ...(rowWarnings.length ? { warnings: rowWarnings } : {}),
        };
      };
      const creates = rows
        .map((r, i) => [r, results[i]] as const)
        .filter(([, res]) => res.action === 'create');
      const ids = await reserveIds(em, 'project', creates.length);
      const projects = creates.map(([r, res], i) => {
        res.projectId = ids[i];
        return this.newProject(ids[i], r, regionId, sourceOf(r), now);
      });
      await insertCreatedProjects(
        em,
        actor,
        projects.map((project) => ({ project })),
        { action: 'import', budgetReason: '导入规划表资金测算', now },
      );
      progress?.(85);
      let done = 0;
      for (const [i, r] of rows.entries()) {
        const res = results[i];
        if (res.action === 'update')
          await this.update(
            em,
            actor,
            byKey.get(projectKey(r))!,
            r,
            res.changes,
            sourceOf(r),
            now,
            today,
          );
        if (++done % 500 === 0) progress?.(85 + (done / rows.length) * 14);
      }
      // the alerts of every project created or updated: by id set, a chunk at a time (not a scan per row)
      await this.alerts.refresh(
        em,
        actor,
        results.flatMap((res) =>
          (res.action === 'create' || res.action === 'update') && res.projectId
            ? [res.projectId]
            : [],
        ),
      );
    });
    return summary();
  }

  /**
   * Per project of the county: the plan's figure (the revision in force from the start) and the
   * latest revision's day.
   */
  private async budgetHistory(
    regionId: number,
  ): Promise<Map<number, { planFen: number; latestOn: string | null }>> {
    const rows = await this.db
      .reader(BudgetRevision)
      .createQueryBuilder('b')
      .innerJoin(Project, 'p', 'p.id = b.projectId')
      .where('p.regionId = :regionId AND p.archivedAt IS NULL', { regionId })
      .andWhere('b.withdrawnAt IS NULL')
      .orderBy('b.projectId')
      .addOrderBy("COALESCE(b.effectiveOn, '')")
      .addOrderBy('b.id')
      .getMany();
    const out = new Map<number, { planFen: number; latestOn: string | null }>();
    for (const b of rows) {
      const seen = out.get(b.projectId);
      if (!seen) out.set(b.projectId, { planFen: b.budgetFen, latestOn: b.effectiveOn });
      else seen.latestOn = b.effectiveOn;
    }
    return out;
  }

  private newProject(
    id: number,
    r: ParsedRow,
    regionId: number,
    source: Project['source'],
    now: string,
  ): Project {
    const fields = rowFields(r, null);
    return newProjectRow({ ...fields, name: fields.name ?? r.name, id, regionId, source }, now);
  }

  private async update(
    em: EntityManager,
    actor: Actor,
    current: Project,
    r: ParsedRow,
    changes: ImportRowResult['changes'],
    source: Project['source'],
    now: string,
    today: string,
  ): Promise<void> {
    const f = rowFields(r, current);
    const r2 = await em
      .createQueryBuilder()
      .update(Project)
      .set({ ...f, source, updatedAt: now, version: () => 'version + 1' })
      .where('id = :id AND version = :v', { id: current.id, v: current.version })
      .execute();
    if (r2.affected !== 1)
      throw new AppError(409, 'VERSION_CONFLICT', [], `${r.name}在导入期间被修改`);
    if (f.budgetFen !== undefined && f.budgetFen !== null && f.budgetFen !== current.budgetFen) {
      // in force from today: never inside a submitted month, which has ended (checked all the same)
      await assertPeriodOpen(em, [current.id], { budgetWan: today });
      await em.insert(BudgetRevision, {
        projectId: current.id,
        effectiveOn: today,
        budgetFen: f.budgetFen,
        reason: `导入${source?.document ?? ''}`,
        createdBy: actor.username,
        createdAt: now,
      });
    }
    await this.audit.record(em, actor, {
      action: 'import',
      entity: 'project',
      entityId: current.id,
      projectId: current.id,
      changes,
      at: now, // one instant for the whole import: 本月变动 shows it as one line
    });
  }
}
