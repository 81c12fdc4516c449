import { inject, provide, type InjectionKey } from 'vue';
import type { ProjectDetail } from './types';

const KEY: InjectionKey<ProjectDetail> = Symbol('project-detail');

/** The view gives its project, lists and loaders to its tabs. */
export const provideProjectDetail = (d: ProjectDetail): void => provide(KEY, d);

/** A tab's view of the project it is shown in. */
export function useProjectDetail(): ProjectDetail {
  const d = inject(KEY);
  if (!d) throw new Error('a project tab outside ProjectDetailView');
  return d;
}
