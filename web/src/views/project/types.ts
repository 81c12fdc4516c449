/**
 * What 项目详情's tabs share: the API's answers they read (aliases of the types generated from the
 * server's OpenAPI document, web/src/api-types.ts) and the project the view loads for them.
 */
import type { Ref } from 'vue';
import type {
  AuditEntry,
  Milestone,
  ProgressReport,
  ProjectDetail as ProjectDetailAnswer,
} from '../../api-types';

export type Project = ProjectDetailAnswer;
export type Report = ProgressReport;
export type { Milestone };
export type Change = AuditEntry;

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
  canArchive: Readonly<Ref<boolean>>;
  canReport: Readonly<Ref<boolean>>;
  canEditMilestones: Readonly<Ref<boolean>>;
  /** A tab's half-filled form: the view asks before a route change, a reload or a close while any is. */
  guard: (dirty: () => boolean) => void;
}
