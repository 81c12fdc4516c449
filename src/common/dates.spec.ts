import {
  calendarDayIn,
  addDays,
  dayNumber,
  dayOfNumber,
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
    expect(daysBetween('2100-02-28', '2100-03-01')).toBe(1); // not a leap year
    expect(daysBetween('2000-02-28', '2000-03-01')).toBe(2); // a leap year
    expect(daysBetween('2026-12-05', '2021-08-31')).toBe(-1922);
    expect(addDays('2026-11-27', 35)).toBe('2027-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('counts days by arithmetic exactly as Date.UTC does, 1900–2200 every day', () => {
    const start = Date.UTC(1900, 0, 1);
    for (let t = start, i = 0; t <= Date.UTC(2200, 11, 31); t += 86_400_000, i++) {
      const day = new Date(t).toISOString().slice(0, 10);
      if (dayNumber(day) !== t / 86_400_000 || dayOfNumber(t / 86_400_000) !== day)
        throw new Error(`${day}: ${dayNumber(day)} / ${dayOfNumber(t / 86_400_000)}`);
    }
    expect(dayNumber('1970-01-01')).toBe(0);
    // what is not a YYYY-MM-DD day is Date.parse's answer (NaN), not a number made of its digits
    expect(dayNumber('2021-13-01')).toBeNaN();
    expect(dayNumber('2021-1x-01')).toBeNaN();
    expect(dayNumber('2021-1+-01')).toBeNaN(); // '+' and ':' are next to the digits in ASCII
    expect(dayNumber('2021-0:-01')).toBeNaN();
    expect(dayNumber('+021-01-01')).toBeNaN();
    expect(daysBetween('2021-08', '2021-09-01')).toBe(31);
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
