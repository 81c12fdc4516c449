/**
 * 报送截止日 of month M ('YYYY-MM'): for now the 5th of the next month. Issue 33 point 5 replaces
 * this body (REPORT_DUE_DAY, moved past weekends and statutory holidays); callers use only this.
 */
export function dueOn(month: string): string {
  const [y, m] = month.split('-').map((s) => parseInt(s, 10));
  const ny = m === 12 ? y + 1 : y;
  const nm = m === 12 ? 1 : m + 1;
  return `${ny}-${String(nm).padStart(2, '0')}-05`;
}
