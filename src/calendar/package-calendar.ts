import calendarData from 'chinese-days/dist/chinese-days.json';

const years = new Set(Object.keys(calendarData.holidays).map((d) => Number(d.slice(0, 4))));

/** Whether `chinese-days` states the year's holidays (1.5.7: through 2026); after it, only weekends. */
export function packageCoversYear(year: number): boolean {
  return years.has(year);
}
