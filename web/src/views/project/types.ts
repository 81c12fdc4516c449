/**
 * What 项目详情's tabs share: the API's answers they read (the lead points these at the generated
 * types) and the project the view loads for them.
 */
import type { Ref } from 'vue';

export interface Project {
  id: number;
  name: string;
  code: string | null;
  regionId: number;
  town: string | null;
  planYear: number | null;
  kind: string | null;
  status: string;
  nextStatuses: string[];
  seats: Record<string, number>;
  floorAreaM2: string | null;
  landMu: string | null;
  budgetWan: string | null;
  committedWan?: string;
  receivedWan?: string;
  paidWan?: string;
  gapWan?: string;
  plannedStart: string | null;
  plannedCompletion: string | null;
  actualCompletion: string | null;
  progressPercent: number | null;
  investmentCompletedWan: string | null;
  lastReportedOn: string | null;
  builder: string | null;
  contractor: string | null;
  manager: string | null;
  phone: string | null;
  archived: boolean;
  archivedAt: string | null;
  warnings: { code: string; message: string }[];
  version: number;
}
export interface Report {
  id: number;
  reportedOn: string;
  status: string;
  progressPercent: number;
  investmentCompletedWan: string | null;
  actualCompletion: string | null;
  note: string | null;
  reportedBy: string;
  withdrawn?: boolean;
  withdrawnAt?: string | null;
  withdrawnBy?: string | null;
  withdrawReason?: string | null;
  reportedByDisplayName?: string | null;
}
export interface Milestone {
  id: number;
  key: string;
  name: string;
  plannedDate: string | null;
  actualDate: string | null;
  owner: string | null;
  note: string | null;
  version: number;
}
export interface Change {
  id: number;
  at: string;
  actorName: string;
  actorDisplayName?: string | null;
  objectName?: string | null;
  action: string;
  entity: string;
  changes: Record<string, { old: unknown; new: unknown }> | null;
}
/** A list answer of the project's routes (progress, milestones, history): `{ items, total, page, pageSize }`. */
export interface ListAnswer<T> {
  items: T[];
}

/**
 * The view's project and lists, its loaders and its role checks, given to each tab (provide/inject):
 * a tab's write reloads what it changed, wherever that is shown.
 */
export interface ProjectDetail {
  id: number;
  /** Read by the view before any tab is shown: never null inside a tab. */
  project: Ref<Project>;
  regionName: Ref<string>;
  regionNames: Ref<Map<number, string>>;
  reports: Ref<Report[]>;
  milestones: Ref<Milestone[]>;
  history: Ref<Change[]>;
  loadProject: () => Promise<void>;
  loadReports: () => Promise<void>;
  loadMilestones: () => Promise<void>;
  loadHistory: () => Promise<void>;
  /** A 409: someone else saved first. Says so and reloads what is shown. */
  conflict: () => Promise<void>;
  canEditData: Readonly<Ref<boolean>>;
  canEditBudget: Readonly<Ref<boolean>>;
  canReport: Readonly<Ref<boolean>>;
  readOnlyReason: Readonly<Ref<string>>;
  /** A tab's half-filled form: the view asks before a route change, a reload or a close while any is. */
  guard: (dirty: () => boolean) => void;
}
