import type { MigrationInterface } from 'typeorm';
// Migrations are listed explicitly (not globbed) so that ts-jest, ts-node and the built app
// load exactly the same set. One set per dialect (docs/stack.md pitfall 4), each generated from the
// entities by scripts/generate-migration.ts and checked by test/e2e/database.e2e-spec.ts.
import { Init1795421632779 } from './postgres/1795421632779-Init';
import { Users1795422508973 } from './postgres/1795422508973-Users';
import { Init1795421632071 } from './sqlite/1795421632071-Init';
import { Users1795422508157 } from './sqlite/1795422508157-Users';
import { Funding1795423087146 } from './sqlite/1795423087146-Funding';
import { Funding1795423088032 } from './postgres/1795423088032-Funding';
import { Alerts1795423688288 } from './sqlite/1795423688288-Alerts';
import { Alerts1795423689210 } from './postgres/1795423689210-Alerts';
import { Jobs1795424273974 } from './sqlite/1795424273974-Jobs';
import { Jobs1795424274890 } from './postgres/1795424274890-Jobs';
import { ListSortIndexes1795432737548 } from './sqlite/1795432737548-ListSortIndexes';
import { ListSortIndexes1795432738687 } from './postgres/1795432738687-ListSortIndexes';
import { LatestReportIndex1795433531029 } from './sqlite/1795433531029-LatestReportIndex';
import { LatestReportIndex1795433532211 } from './postgres/1795433532211-LatestReportIndex';
import { JobHeartbeat1796174641156 } from './sqlite/1796174641156-JobHeartbeat';
import { JobHeartbeat1796174645974 } from './postgres/1796174645974-JobHeartbeat';
import { Sessions1796176056695 } from './sqlite/1796176056695-Sessions';
import { Sessions1796176066355 } from './postgres/1796176066355-Sessions';
import { JobRegion1796176559280 } from './sqlite/1796176559280-JobRegion';
import { JobRegion1796176564499 } from './postgres/1796176564499-JobRegion';
import { BudgetUnknown1796177625039 } from './sqlite/1796177625039-BudgetUnknown';
import { BudgetUnknown1796177629337 } from './postgres/1796177629337-BudgetUnknown';
import { ChangeLog1796233251411 } from './sqlite/1796233251411-ChangeLog';
import { ChangeLog1796233273636 } from './postgres/1796233273636-ChangeLog';
import { AlertChangeLog1796400000000 } from './sqlite/1796400000000-AlertChangeLog';
import { AlertChangeLog1796400000001 } from './postgres/1796400000001-AlertChangeLog';
import { AlertAckNote1796500000000 } from './sqlite/1796500000000-AlertAckNote';
import { AlertAckNote1796500000001 } from './postgres/1796500000001-AlertAckNote';
import { IdempotencyKeys1796600000000 } from './sqlite/1796600000000-IdempotencyKeys';
import { IdempotencyKeys1796600000001 } from './postgres/1796600000001-IdempotencyKeys';
import { Withdrawals1796700000000 } from './sqlite/1796700000000-Withdrawals';
import { Withdrawals1796700000001 } from './postgres/1796700000001-Withdrawals';
import { Contacts1796800000000 } from './sqlite/1796800000000-Contacts';
import { Contacts1796800000001 } from './postgres/1796800000001-Contacts';
import { JobRunner1796900000000 } from './sqlite/1796900000000-JobRunner';
import { JobRunner1796900000001 } from './postgres/1796900000001-JobRunner';
import { MustChangePassword1796931000000 } from './sqlite/1796931000000-MustChangePassword';
import { MustChangePassword1796931000001 } from './postgres/1796931000001-MustChangePassword';
import { Submissions1797000000000 } from './sqlite/1797000000000-Submissions';
import { Submissions1797000000001 } from './postgres/1797000000001-Submissions';
import { WorkCalendar1797200000000 } from './sqlite/1797200000000-WorkCalendar';
import { WorkCalendar1797200000001 } from './postgres/1797200000001-WorkCalendar';
import { SubmissionReminders1797300000000 } from './sqlite/1797300000000-SubmissionReminders';
import { SubmissionReminders1797300000001 } from './postgres/1797300000001-SubmissionReminders';
import { SearchChangeLog1797350000000 } from './sqlite/1797350000000-SearchChangeLog';
import { SearchChangeLog1797350000001 } from './postgres/1797350000001-SearchChangeLog';
import { ProjectLocation1797400000000 } from './sqlite/1797400000000-ProjectLocation';
import { ProjectLocation1797400000001 } from './postgres/1797400000001-ProjectLocation';
import { Channels1797450000000 } from './sqlite/1797450000000-Channels';
import { Channels1797450000001 } from './postgres/1797450000001-Channels';
import { Attachments1797500000000 } from './sqlite/1797500000000-Attachments';
import { Attachments1797500000001 } from './postgres/1797500000001-Attachments';
import { MilestoneDueIndex1797550000000 } from './sqlite/1797550000000-MilestoneDueIndex';
import { MilestoneDueIndex1797550000001 } from './postgres/1797550000001-MilestoneDueIndex';
import { AuthChangeLog1797600000000 } from './sqlite/1797600000000-AuthChangeLog';
import { AuthChangeLog1797600000001 } from './postgres/1797600000001-AuthChangeLog';
import { FigureIndexes1797650000000 } from './sqlite/1797650000000-FigureIndexes';
import { FigureIndexes1797650000001 } from './postgres/1797650000001-FigureIndexes';

export const SQLITE_MIGRATIONS: (new () => MigrationInterface)[] = [
  Init1795421632071,
  Users1795422508157,
  Funding1795423087146,
  Alerts1795423688288,
  Jobs1795424273974,
  ListSortIndexes1795432737548,
  LatestReportIndex1795433531029,
  JobHeartbeat1796174641156,
  Sessions1796176056695,
  JobRegion1796176559280,
  BudgetUnknown1796177625039,
  ChangeLog1796233251411,
  AlertChangeLog1796400000000,
  AlertAckNote1796500000000,
  IdempotencyKeys1796600000000,
  Withdrawals1796700000000,
  Contacts1796800000000,
  JobRunner1796900000000,
  MustChangePassword1796931000000,
  Submissions1797000000000,
  WorkCalendar1797200000000,
  SubmissionReminders1797300000000,
  SearchChangeLog1797350000000,
  ProjectLocation1797400000000,
  Channels1797450000000,
  Attachments1797500000000,
  MilestoneDueIndex1797550000000,
  AuthChangeLog1797600000000,
  FigureIndexes1797650000000,
];
export const POSTGRES_MIGRATIONS: (new () => MigrationInterface)[] = [
  Init1795421632779,
  Users1795422508973,
  Funding1795423088032,
  Alerts1795423689210,
  Jobs1795424274890,
  ListSortIndexes1795432738687,
  LatestReportIndex1795433532211,
  JobHeartbeat1796174645974,
  Sessions1796176066355,
  JobRegion1796176564499,
  BudgetUnknown1796177629337,
  ChangeLog1796233273636,
  AlertChangeLog1796400000001,
  AlertAckNote1796500000001,
  IdempotencyKeys1796600000001,
  Withdrawals1796700000001,
  Contacts1796800000001,
  JobRunner1796900000001,
  MustChangePassword1796931000001,
  Submissions1797000000001,
  WorkCalendar1797200000001,
  SubmissionReminders1797300000001,
  SearchChangeLog1797350000001,
  ProjectLocation1797400000001,
  Channels1797450000001,
  Attachments1797500000001,
  MilestoneDueIndex1797550000001,
  AuthChangeLog1797600000001,
  FigureIndexes1797650000001,
];
