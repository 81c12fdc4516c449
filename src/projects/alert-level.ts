/**
 * A project's 预警等级 in the list: the highest severity among its alerts that are open or
 * acknowledged (an acknowledged alert still stands until its condition clears); `none` = no
 * such alert. Read by table name: alerts/ reads projects' figures, so projects/ does not import
 * its entity. The alert table's triggers log these changes for the list's cache (AlertChangeLog).
 * The same standing alerts as 预警中心's default tabs and 首页's 红/黄/蓝 (`Dashboard.alerts`), which
 * count alerts where this ranks projects: `?alertLevel=red` lists exactly the distinct projects of
 * the standing red alerts. Writes keep them current (`AlertRefresh`); the daily scan, with time.
 */
export const ALERT_LEVELS = ['red', 'yellow', 'blue', 'none'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

const RANKS: Record<AlertLevel, number> = { red: 1, yellow: 2, blue: 3, none: 0 };
const BY_RANK = new Map<number, Exclude<AlertLevel, 'none'>>([
  [1, 'red'],
  [2, 'yellow'],
  [3, 'blue'],
]);

const RANK = `MIN(CASE al.severity WHEN 'red' THEN 1 WHEN 'yellow' THEN 2 ELSE 3 END)`;
const STANDING = `al.state IN ('open', 'acknowledged')`;

/** The rank (1 red … 3 blue, 0 none) of the project whose id is `projectId` (an SQL expression). */
export const alertRankSql = (projectId: string): string =>
  `COALESCE((SELECT ${RANK} FROM alert al WHERE al.project_id = ${projectId} AND ${STANDING}), 0)`;

export const alertRanks = (levels: readonly AlertLevel[]): number[] => levels.map((l) => RANKS[l]);

/** The ranks of the given projects (named parameter `:ids`); projects without one are left out. */
export const ALERT_RANKS_BY_IDS = `SELECT al.project_id AS id, ${RANK} AS r FROM alert al
  WHERE al.project_id IN (:ids) AND ${STANDING} GROUP BY al.project_id`;

export const levelOfRank = (rank: unknown): Exclude<AlertLevel, 'none'> | null =>
  BY_RANK.get(Number(rank)) ?? null;
