import { EntityManager } from 'typeorm';
import { diffViews } from '../audit/audit.service';
import { Actor } from '../common/actor';
import { dueDate } from '../common/dates';
import { bulkInsert, reserveIds } from '../database/bulk';
import { defaultMilestones } from './milestone-defaults';
import { Project } from './project.entity';
import { kindFromName } from './project-rules';
import { toProjectView } from './project.view';

/** The fields a caller gives; everything else has the one default of a new project. */
type NewProjectFields = Pick<Project, 'name' | 'regionId' | 'source'> & Partial<Project>;

/**
 * The row of a new project: the one place its defaults are written (API, import and seed alike).
 * The kind comes from the name's bracket (民族高级中学（修缮改造） → renovation) unless given.
 */
export function newProjectRow(fields: NewProjectFields, now: string): Project {
  const defaults: Omit<Project, 'id' | 'name' | 'regionId' | 'source'> = {
    code: null,
    town: null,
    planYear: null,
    kind: null,
    planId: null,
    printedSubtotal: null,
    seatsKindergarten: 0,
    seatsPrimary: 0,
    seatsJuniorMiddle: 0,
    seatsSeniorSecondary: 0,
    seatsSpecialEducation: 0,
    transitionalSeats: false,
    boardingBeds: 0,
    floorArea: null,
    land: null,
    budgetFen: null,
    plannedStart: null,
    plannedCompletion: null,
    plannedCompletionDue: null,
    actualCompletion: null,
    status: 'planned',
    progressPercent: null,
    investmentCompletedFen: null,
    lastReportedOn: null,
    archivedAt: null,
    builder: null,
    contractor: null,
    manager: null,
    phone: null,
    latE6: null,
    lngE6: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  const p = Object.assign(new Project(), defaults, fields);
  if (fields.kind === undefined) p.kind = kindFromName(p.name);
  if (fields.plannedCompletionDue === undefined)
    p.plannedCompletionDue = p.plannedCompletion ? dueDate(p.plannedCompletion) : null;
  return p;
}

/** A milestone a new project starts with (the defaults of its kind, or those given merged in). */
export interface NewMilestone {
  key: string;
  name: string;
  sortOrder: number;
  plannedDate: string | null;
  actualDate: string | null;
  owner: string | null;
  note: string | null;
}

export const defaultMilestoneRows = (p: Project): NewMilestone[] =>
  defaultMilestones(p.kind).map((m) => ({
    ...m,
    plannedDate: null,
    actualDate: null,
    owner: null,
    note: null,
  }));

/** Ids per INSERT … SELECT of default milestones (bound parameters, well under both limits). */
const DEFAULTS_CHUNK = 5000;

/**
 * Each project's default milestones (by its kind), inserted by the database: one
 * `INSERT … SELECT` of the projects × their kind's list per kind and chunk of ids.
 */
async function insertDefaultMilestones(
  em: EntityManager,
  projects: Project[],
  now: string,
): Promise<void> {
  const pg = em.connection.options.type === 'postgres';
  const byKind = new Map<Project['kind'], number[]>();
  for (const p of projects) {
    const ids = byKind.get(p.kind);
    if (ids) ids.push(p.id);
    else byKind.set(p.kind, [p.id]);
  }
  for (const [kind, ids] of byKind) {
    const list = defaultMilestones(kind);
    if (!list.length) continue;
    for (let i = 0; i < ids.length; i += DEFAULTS_CHUNK) {
      const part = ids.slice(i, i + DEFAULTS_CHUNK);
      let n = 0;
      const param = () => (pg ? `$${++n}` : '?');
      // placeholders in the order they appear in the statement (SQLite binds `?` by position)
      const values: unknown[] = [now, now];
      const stamps = `${param()}, ${param()}`;
      const defaults = list
        .map((m) => {
          values.push(m.key, m.name, m.sortOrder);
          return `SELECT ${param()} AS k, ${param()} AS n, ${pg ? `${param()}::int` : param()} AS s`;
        })
        .join(' UNION ALL ');
      const idList = part.map(() => param()).join(', ');
      values.push(...part);
      await em.query(
        `INSERT INTO "milestone" ("project_id", "key", "name", "sort_order", "planned_date", "planned_due", "actual_date", "owner", "note", "version", "created_at", "updated_at")
         SELECT p.id, d.k, d.n, d.s, NULL, NULL, NULL, NULL, NULL, 1, ${stamps}
         FROM "project" p CROSS JOIN (${defaults}) d WHERE p.id IN (${idList}) ORDER BY p.id, d.s`,
        values,
      );
    }
  }
}

interface CreatedProject {
  project: Project;
  /** The milestones it starts with; the defaults of its kind when not given. */
  milestones?: NewMilestone[];
}

const PROJECT_COLUMNS: [string, (p: Project) => unknown][] = [
  ['id', (p) => p.id],
  ['code', (p) => p.code],
  ['name', (p) => p.name],
  ['region_id', (p) => p.regionId],
  ['town', (p) => p.town],
  ['plan_year', (p) => p.planYear],
  ['kind', (p) => p.kind],
  ['plan_id', (p) => p.planId],
  ['source', (p) => JSON.stringify(p.source)],
  ['printed_subtotal', (p) => p.printedSubtotal],
  ['seats_kindergarten', (p) => p.seatsKindergarten],
  ['seats_primary', (p) => p.seatsPrimary],
  ['seats_junior_middle', (p) => p.seatsJuniorMiddle],
  ['seats_senior_secondary', (p) => p.seatsSeniorSecondary],
  ['seats_special_education', (p) => p.seatsSpecialEducation],
  ['transitional_seats', (p) => p.transitionalSeats],
  ['boarding_beds', (p) => p.boardingBeds],
  ['floor_area', (p) => p.floorArea],
  ['land', (p) => p.land],
  ['budget_fen', (p) => p.budgetFen],
  ['planned_start', (p) => p.plannedStart],
  ['planned_completion', (p) => p.plannedCompletion],
  ['planned_completion_due', (p) => p.plannedCompletionDue],
  ['actual_completion', (p) => p.actualCompletion],
  ['status', (p) => p.status],
  ['builder', (p) => p.builder],
  ['contractor', (p) => p.contractor],
  ['manager', (p) => p.manager],
  ['phone', (p) => p.phone],
  ['lat_e6', (p) => p.latE6],
  ['lng_e6', (p) => p.lngE6],
  ['version', (p) => p.version],
  ['created_at', (p) => p.createdAt],
  ['updated_at', (p) => p.updatedAt],
];

/**
 * The one "project created" step, inside the caller's transaction: the rows (ids reserved when not
 * set), the estimate they were created with as the revision in force from the start (none for 未测算),
 * their milestones, and an audit row each (`action`: create, import or seed). Multi-row INSERTs, so
 * an import of 10,000 rows costs a few statements.
 */
export async function insertCreatedProjects(
  em: EntityManager,
  actor: Actor,
  created: CreatedProject[],
  opts: { action: 'create' | 'import' | 'seed'; budgetReason: string; now: string },
): Promise<Project[]> {
  if (!created.length) return [];
  const { now } = opts;
  const missing = created.filter((c) => !c.project.id);
  const ids = await reserveIds(em, 'project', missing.length);
  missing.forEach((c, i) => (c.project.id = ids[i]));
  const projects = created.map((c) => c.project);
  await bulkInsert(
    em,
    'project',
    PROJECT_COLUMNS.map(([c]) => c),
    projects.map((p) => PROJECT_COLUMNS.map(([, f]) => f(p))),
  );
  await bulkInsert(
    em,
    'budget_revision',
    ['project_id', 'effective_on', 'budget_fen', 'reason', 'created_by', 'created_at'],
    projects
      .filter((p) => p.budgetFen !== null)
      .map((p) => [p.id, null, p.budgetFen, opts.budgetReason, actor.username, now]),
  );
  // milestones given with a project are written as rows; a project's defaults (every import
  // row's) are made by the database from its kind — an import of 10,000 projects would otherwise
  // bind 1.2 million values through JS arrays (its peak RSS was 312 MB, now under 300: issue 37)
  const given = created.filter((c) => c.milestones);
  await bulkInsert(
    em,
    'milestone',
    [
      'project_id',
      'key',
      'name',
      'sort_order',
      'planned_date',
      'planned_due',
      'actual_date',
      'owner',
      'note',
      'version',
      'created_at',
      'updated_at',
    ],
    (function* () {
      for (const c of given)
        for (const m of c.milestones!)
          yield [
            c.project.id,
            m.key,
            m.name,
            m.sortOrder,
            m.plannedDate,
            m.plannedDate ? dueDate(m.plannedDate) : null,
            m.actualDate,
            m.owner,
            m.note,
            1,
            now,
            now,
          ];
    })(),
  );
  await insertDefaultMilestones(
    em,
    created.filter((c) => !c.milestones).map((c) => c.project),
    now,
  );
  await bulkInsert(
    em,
    'audit_log',
    ['at', 'actor_id', 'actor_name', 'action', 'entity', 'entity_id', 'project_id', 'changes'],
    (function* () {
      for (const p of projects)
        yield [
          now,
          actor.id,
          actor.username,
          opts.action,
          'project',
          p.id,
          p.id,
          JSON.stringify(
            diffViews(null, toProjectView(p) as unknown as Record<string, unknown>, [
              'id',
              'version',
              'createdAt',
              'updatedAt',
              'warnings',
            ]),
          ),
        ];
    })(),
  );
  return projects;
}
