import {
  calendarDayIn,
  daysBetween,
  dueDate,
  isCalendarDate,
  isCalendarMonth,
  isPlannedDate,
} from './dates';

describe('dates', () => {
  it.each([
    ['2021-08', '2021-08-31'],
    ['2022-12', '2022-12-31'],
    ['2024-02', '2024-02-29'],
    ['2023-02', '2023-02-28'],
    ['2024-08-15', '2024-08-15'],
  ])('planned %s is due %s', (planned, due) => expect(dueDate(planned)).toBe(due));

  it.each(['2021-02-29', '2021-13-01', '2021-00-10', '2021-8-1', '20210801', '2021-04-31', 5])(
    'rejects %p as a calendar day',
    (v) => expect(isCalendarDate(v)).toBe(false),
  );

  it('tells months from days', () => {
    expect(isCalendarMonth('2021-13')).toBe(false);
    expect(isCalendarMonth('2021-12')).toBe(true);
    expect(isPlannedDate('2021-12')).toBe(true);
    expect(isPlannedDate('2021-12-31')).toBe(true);
    expect(isPlannedDate('2021年12月')).toBe(false);
  });

  it('counts days', () => {
    expect(daysBetween('2021-08-31', '2021-09-01')).toBe(1);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
  });

  it('takes today as the Shanghai calendar day', () => {
    // 2026-11-22 16:30 UTC is already 2026-11-23 00:30 in Shanghai
    expect(calendarDayIn('Asia/Shanghai', new Date('2026-11-22T16:30:00Z'))).toBe('2026-11-23');
    expect(calendarDayIn('Asia/Shanghai', new Date('2026-11-22T15:59:00Z'))).toBe('2026-11-22');
    expect(calendarDayIn('America/Los_Angeles', new Date('2026-01-01T07:59:00Z'))).toBe(
      '2025-12-31',
    );
    expect(calendarDayIn('UTC', new Date('0999-03-04T12:00:00Z'))).toBe('0999-03-04');
  });
});
