/** A project's money as of a day, 万元 as decimal strings. */
export class MoneyView {
  /** null = 未测算 (no estimate in force on the day). */
  budgetWan: string | null;
  committedWan: string;
  receivedWan: string;
  paidWan: string;
  /** null when the budget is (未测算): no gap can be computed. */
  gapWan: string | null;
  surplusWan: string | null;
}
