/** The money sums of `GET /api/funding/summary` (its groups and total), decimal strings in 万元. */
export interface FundingSums {
  projects: number;
  projectsWithoutBudget: number;
  budgetWan: string;
  committedWan: string;
  receivedWan: string;
  paidWan: string;
  gapWan: string;
  surplusWan: string;
}
