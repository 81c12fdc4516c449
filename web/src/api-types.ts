/**
 * The API's answers, named for the screens: aliases of the types `npm run api:types` generates
 * from the server's OpenAPI document (api-schema.d.ts). Nothing here restates an answer by hand.
 */
import type { components } from './api-schema';

type Schemas = components['schemas'];

export type ErrorBody = Schemas['ErrorBody'];
export type FieldError = Schemas['FieldError'];
export type Me = Schemas['MeView'];
export type SessionAnswer = Schemas['SessionView'];
export type Job = Schemas['JobView'];
export type Region = Schemas['RegionView'];
export type User = Schemas['UserView'];
export type AuditEntry = Schemas['AuditView'];
export type AuditPage = Schemas['AuditPageView'];
export type Project = Schemas['ProjectView'];
export type Attachment = Schemas['AttachmentView'];
export type AttachmentList = Schemas['AttachmentListView'];
export type ProjectDetail = Schemas['ProjectDetailView'];
export type ProjectPage = Schemas['ProjectPageView'];
export type ProjectTotals = Schemas['ProjectTotals'];
export type Dashboard = Schemas['Dashboard'];
export type Rates = Schemas['Rates'];
export type FundingSums = Schemas['SummaryFigures'];
export type FundingSummary = Schemas['FundingSummaryView'];
export type ReportedGap = Schemas['ReportedGapView'];
export type Plan = Schemas['PlanView'];
export type PlanPage = Schemas['PlanPageView'];
export type PlanProgress = Schemas['PlanProgress'];
export type TargetProgress = Schemas['TargetProgress'];
export type Alert = Schemas['AlertView'];
export type AlertPage = Schemas['AlertPageView'];
export type ImportResult = Schemas['ImportResult'];
export type ImportIssue = Schemas['Issue'];
// for ProjectDetailView's tabs and FundingPanel
export type ProgressReport = Schemas['ProgressListItemView'];
export type ProgressPage = Schemas['ProgressPageView'];
export type Milestone = Schemas['MilestoneView'];
export type MilestonePage = Schemas['MilestonePageView'];
export type FundingLine = Schemas['FundingLineView'];
export type Payment = Schemas['PaymentView'];
export type BudgetRevision = Schemas['BudgetRevisionView'];
export type Warning = Schemas['Warning'];
export type ProjectFunding = Schemas['ProjectFundingView'];
export type ReferenceCheck = Schemas['ReferenceCheckView'];
// the monthly reporting cycle (月报报送, 审核)
export type Submission = Schemas['SubmissionView'];
export type SubmissionList = Schemas['SubmissionListView'];
export type SubmissionDetail = Schemas['SubmissionDetailView'];
export type SubmissionChecks = Schemas['SubmissionChecksView'];
export type SubmissionSnapshot = Schemas['ReportSnapshot'];
export type DashboardSubmission = Schemas['DashboardSubmission'];
export type MapView = Schemas['MapView'];
export type MapCell = Schemas['MapCell'];
export type MapPoint = Schemas['MapPoint'];
export type MapBoundaryInfo = Schemas['MapBoundaryInfo'];
export type MapBoundaryShapes = Schemas['MapBoundaryShapes'];
export type RegionChannels = Schemas['RegionChannelsView'];
export type Channel = Schemas['ChannelView'];
export type Delivery = Schemas['DeliveryView'];
export type DeliveryPage = Schemas['DeliveryPageView'];
export type SharedLinkInfo = Schemas['SharedLinkView'];
