import { dueOn, isWorkingDay, lateDays, monthsDueIn, nextMonth, timelinessRate } from './due-date';

describe('due dates (报送期限)', () => {
  it.each([
    // [month, REPORT_DUE_DAY, due]
    ['2026-01', 5, '2026-02-05'], // a Thursday before 春节: stays
    ['2026-01', 15, '2026-02-24'], // 春节 2026-02-15…23 → the Tuesday after
    ['2026-01', 20, '2026-02-24'],
    ['2026-01', 14, '2026-02-14'], // a Saturday worked (调休): a working day
    ['2026-01', 28, '2026-02-28'], // the other 春节 make-up Saturday
    ['2026-09', 5, '2026-10-08'], // 国庆节 2026-10-01…07 → Thursday 2026-10-08
    ['2026-09', 1, '2026-10-08'],
    ['2026-09', 9, '2026-10-09'], // a Friday after the holiday
    ['2026-09', 10, '2026-10-10'], // Saturday 2026-10-10 is a make-up working day
    ['2026-09', 11, '2026-10-12'], // Sunday → Monday
    ['2026-03', 5, '2026-04-07'], // Sunday 04-05 清明 and Monday 04-06 off → Tuesday
    ['2026-06', 5, '2026-07-06'], // a plain Sunday → Monday
    ['2026-08', 5, '2026-09-07'], // a plain Saturday → Monday
    ['2026-04', 5, '2026-05-06'], // 劳动节 2026-05-01…05 → Wednesday
    ['2026-10', 5, '2026-11-05'], // a plain Thursday
    ['2026-12', 5, '2027-01-05'], // across the year
  ])('%s with due day %i is due %s', (month, dueDay, due) =>
    expect(dueOn(month, { dueDay })).toBe(due),
  );

  it('defaults to the 5th', () => {
    expect(dueOn('2026-09')).toBe('2026-10-08');
    expect(dueOn('2026-10')).toBe('2026-11-05');
  });

  it('consults the overrides before the package (a 2027 notice newer than the package)', () => {
    // the package knows no 2027 holidays: 2027-02-05 is a plain Friday there
    expect(dueOn('2027-01')).toBe('2027-02-05');
    const overrides = new Map([
      ['2027-02-05', false],
      ['2027-02-06', false],
      ['2027-02-07', true], // a Sunday worked
    ]);
    expect(isWorkingDay('2027-02-07', overrides)).toBe(true);
    expect(isWorkingDay('2027-02-07')).toBe(false);
    expect(dueOn('2027-01', { overrides })).toBe('2027-02-07');
    // an override can also make a holiday of the package's working day, or work a holiday
    expect(dueOn('2026-09', { overrides: new Map([['2026-10-08', false]]) })).toBe('2026-10-09');
    expect(dueOn('2026-09', { overrides: new Map([['2026-10-05', true]]) })).toBe('2026-10-05');
  });

  it('rejects a bad month or due day', () => {
    expect(() => dueOn('2026-13')).toThrow('not a month');
    expect(() => dueOn('2026-01', { dueDay: 29 })).toThrow('REPORT_DUE_DAY');
    expect(() => dueOn('2026-01', { dueDay: 0 })).toThrow('REPORT_DUE_DAY');
  });

  it('counts calendar days late, 0 when on time', () => {
    expect(lateDays('2026-10-08', '2026-10-08')).toBe(0);
    expect(lateDays('2026-10-08', '2026-09-30')).toBe(0);
    expect(lateDays('2026-10-08', '2026-10-09')).toBe(1);
    expect(lateDays('2026-02-24', '2026-03-02')).toBe(6);
  });

  it('steps months', () => {
    expect(nextMonth('2026-12')).toBe('2027-01');
    expect(nextMonth('2026-01')).toBe('2026-02');
  });

  it('lists the months falling due in a year', () => {
    const due = monthsDueIn(2026);
    expect(due.map((d) => d.month)).toEqual([
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
    ]);
    expect(due[0].due).toBe('2026-01-05');
    expect(due[9].due).toBe('2026-10-08');
  });

  it('rates timeliness over the months whose due day has passed', () => {
    const months = [
      { due: '2026-09-07', lateDays: 0 }, // on the day: on time
      { due: '2026-10-08', lateDays: 1 }, // a day late
      { due: '2026-11-05', lateDays: null }, // not submitted, due passed
      { due: '2026-12-07', lateDays: null }, // not yet due: not counted
    ];
    expect(timelinessRate(months, '2026-12-06')).toBe(0.333333);
    expect(timelinessRate(months, '2026-11-05')).toBe(0.5);
    expect(timelinessRate(months, '2026-09-07')).toBeNull();
  });
});
