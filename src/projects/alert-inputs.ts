import type { Project } from './project.entity';

/**
 * Columns no alert rule reads (alerts/alert-rules.ts reads the name, region, status, planned and
 * actual completion, the reports and the funding gap): a write that changes only these leaves every
 * alert as it was, so the refresh (a fifth of a PATCH's time) is skipped. A column not listed here
 * — one added later included — refreshes.
 */
const ALERT_NEUTRAL_COLUMNS: ReadonlySet<string> = new Set<keyof Project>([
  'code',
  'town',
  'planYear',
  'kind',
  'planId',
  'source',
  'printedSubtotal',
  'seatsKindergarten',
  'seatsPrimary',
  'seatsJuniorMiddle',
  'seatsSeniorSecondary',
  'seatsSpecialEducation',
  'transitionalSeats',
  'boardingBeds',
  'floorArea',
  'land',
  'plannedStart',
  'builder',
  'contractor',
  'manager',
  'phone',
  'latE6',
  'lngE6',
  'updatedAt',
  'version',
]);

/** Whether an update changes a column the alert rules read (see ALERT_NEUTRAL_COLUMNS). */
export function changesAlertInputs(before: Project, after: Project): boolean {
  for (const key of Object.keys(after) as (keyof Project)[]) {
    if (ALERT_NEUTRAL_COLUMNS.has(key)) continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) return true;
  }
  return false;
}
