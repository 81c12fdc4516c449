import { PageView } from '../../common/page.view';

/** A milestone (节点) of a project. */
export class MilestoneView {
  id: number;
  projectId: number;
  key: string;
  name: string;
  sortOrder: number;
  plannedDate: string | null;
  plannedDue: string | null;
  actualDate: string | null;
  owner: string | null;
  note: string | null;
  version: number;
}

export class MilestonePageView extends PageView {
  items: MilestoneView[];
}
