import { ApiProperty } from '@nestjs/swagger';
import type { GroupBy } from './dto/summary.dto';

/** The money sums of a group of projects (or of all: the total), 万元 as decimal strings. */
export class SummaryFigures {
  projects: number;
  /** Projects with no estimate (未测算): out of budgetWan and gapWan, counted here instead of as 0. */
  projectsWithoutBudget: number | null;
  budgetWan: string | null;
  committedWan: string;
  receivedWan: string;
  paidWan: string | null;
  gapWan: string | null;
  surplusWan: string | null;
}

/** One group of `GET /api/funding/summary`: its key and label, and its sums. */
export class SummaryGroup extends SummaryFigures {
  @ApiProperty({
    description:
      'The status, region id, plan year or source the group stands for (null: none given).',
    oneOf: [{ type: 'string' }, { type: 'number' }],
    nullable: true,
  })
  key: string | number | null;
  label: string;
}

/** The gap split as the plans state theirs: 已竣工 and 在建 projects. */
export class GapSplitView {
  completedWan: string;
  underConstructionWan: string;
}

/** A gap in three figures: total, 已竣工 and 在建. */
export class GapFiguresView {
  totalWan: string;
  completedWan: string;
  underConstructionWan: string;
}

/** A gap a document states (资金缺口 as reported) beside the gap the tracked projects show. */
export class ReportedGapView {
  regionId: number;
  document: string;
  quote: string;
  asOf: string;
  reported: GapFiguresView;
  tracked: GapFiguresView;
  /** tracked − reported. */
  difference: GapFiguresView;
}

/** `GET /api/funding/summary`: money roll-ups as of a day, grouped. */
export class FundingSummaryView {
  asOf: string;
  groupBy: GroupBy;
  regionId: number | null;
  groups: SummaryGroup[];
  total: SummaryFigures;
  gapSplit: GapSplitView;
  reportedGaps: ReportedGapView[];
}
