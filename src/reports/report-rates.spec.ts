import type { ReportProject } from './report-data.service';
import {
  elapsedShare,
  gapByStatus,
  rankCounties,
  rates,
  seatLines,
  share,
  sumFen,
  vsSchedule,
} from './report-rates';

const seats = (over: Partial<ReportProject['seats']> = {}): ReportProject['seats'] => ({
  kindergarten: 0,
  primary: 0,
  juniorMiddle: 0,
  seniorSecondary: 0,
  specialEducation: 0,
  ...over,
});

const project = (over: Partial<ReportProject>): ReportProject => ({
  id: 1,
  name: '三排镇横坑幼儿园',
  regionId: 1,
  regionName: '连南瑶族自治县',
  planYear: 2026,
  kind: 'new_build',
  status: 'planned',
  seats: seats(),
  transitional: false,
  printedSubtotal: null,
  floorArea: null,
  land: null,
  plannedStart: null,
  plannedCompletion: null,
  plannedCompletionDue: null,
  actualCompletion: null,
  progressPercent: null,
  investmentFen: 0n,
  builder: null,
  contractor: null,
  manager: null,
  phone: null,
  lastReportedOn: null,
  budget: null,
  committed: 0n,
  received: 0n,
  paid: 0n,
  gap: 0n,
  daysOverdue: null,
  ...over,
});

/** 在建, 1,000 m², 1 万元 estimated, 0.4 invested, 0.6 received, 0.3 paid; 181 of 364 days past. */
const building = project({
  id: 1,
  status: 'under_construction',
  floorArea: 1000,
  seats: seats({ primary: 900 }),
  plannedStart: '2026-01-01',
  plannedCompletionDue: '2026-12-31',
  budget: 1_000_000n,
  investmentFen: 400_000n,
  received: 600_000n,
  paid: 300_000n,
  gap: 100_000n,
});
/** 已竣工, 3,000 m², 未测算 (out of the investment and arrival bases), no planned completion. */
const done = project({
  id: 2,
  status: 'completed',
  floorArea: 3000,
  seats: seats({ kindergarten: 270 }),
  budget: null,
  investmentFen: 500_000n,
  received: 200_000n,
  paid: 100_000n,
  gap: 50_000n,
});
/** 已取消: left out of every rate. */
const cancelled = project({
  id: 3,
  regionId: 2,
  status: 'cancelled',
  floorArea: 5000,
  seats: seats({ primary: 1000 }),
  budget: 9_000_000n,
  investmentFen: 9_000_000n,
  received: 9_000_000n,
  paid: 9_000_000n,
  gap: 700_000n,
});
/** 未开工 and 30 days late: planned from the plan year's start to 2026-06-30 (all of it past). */
const late = project({
  id: 4,
  regionId: 2,
  status: 'planned',
  planYear: 2026,
  plannedCompletionDue: '2026-06-30',
  budget: 1_000_000n,
  gap: 200_000n,
  daysOverdue: 30,
});
const all = [building, done, cancelled, late];

describe('report rates (汇总 四、考核指标 and 首页)', () => {
  it('开工率, 竣工率, 投资完成率, 资金到位率, 资金支出率 and 序时进度 over the projects not cancelled', () => {
    expect(rates(all, '2026-07-01')).toEqual({
      projects: 3,
      startRateCount: 0.666666, // 2 of 3, cut at six places
      startRateArea: 1, // 4,000 of 4,000 m² (the late project has no area)
      completionRateCount: 0.333333,
      completionRateArea: 0.75,
      investmentRate: 0.2, // 0.4 of 2 万元 estimated: the 未测算 project's 0.5 is left out
      fundsArrivalRate: 0.3, // 0.6 of 2
      spendingRate: 0.5, // 0.4 paid of 0.8 received (the 未测算 project's money counts here)
      scheduleCount: 0.7486, // (181/364 + 1) / 2
      scheduleArea: 0.4973, // 181/364 weighted by 1,000 m² and 0 m²
    });
  });

  it('leaves a rate empty (null) when its base is 0, rather than 0 %', () => {
    expect(rates([cancelled], '2026-07-01')).toEqual({
      projects: 0,
      startRateCount: null,
      startRateArea: null,
      completionRateCount: null,
      completionRateArea: null,
      investmentRate: null,
      fundsArrivalRate: null,
      spendingRate: null,
      scheduleCount: null,
      scheduleArea: null,
    });
  });

  it('序时进度 of one project: the share of its planned span past on the day, 0–1', () => {
    const p = { plannedStart: '2026-01-01', plannedCompletionDue: '2026-12-31', planYear: 2026 };
    expect(elapsedShare(p, '2026-07-01')).toBeCloseTo(181 / 364, 12);
    expect(elapsedShare(p, '2025-12-01')).toBe(0);
    expect(elapsedShare(p, '2027-03-01')).toBe(1);
    // a month-precise start is its first day; no start: the plan year's first day
    expect(elapsedShare({ ...p, plannedStart: '2026-07' }, '2026-07-01')).toBe(0);
    expect(elapsedShare({ ...p, plannedStart: null }, '2026-07-01')).toBeCloseTo(181 / 364, 12);
    // no end, or no start and no plan year: unknown
    expect(elapsedShare({ ...p, plannedCompletionDue: null }, '2026-07-01')).toBeNull();
    expect(elapsedShare({ ...p, plannedStart: null, planYear: null }, '2026-07-01')).toBeNull();
    // a span of no days: done on its day, not before
    const day = { plannedStart: '2026-03', plannedCompletionDue: '2026-03-01', planYear: null };
    expect(elapsedShare(day, '2026-02-28')).toBe(0);
    expect(elapsedShare(day, '2026-03-01')).toBe(1);
  });

  it('ranks counties by 竣工率, then 开工率, then 投资完成率, then fewer overdue projects', () => {
    // 阳山 ties 连山 on 竣工率, 开工率 and 投资完成率 (all 0) but has no overdue project
    const yangshan = project({ id: 5, regionId: 4, budget: 1_000_000n });
    const counties = [
      { id: 2, name: '连山壮族瑶族自治县' },
      { id: 3, name: '连州市' },
      { id: 4, name: '阳山县' },
      { id: 1, name: '连南瑶族自治县' },
    ];
    const ranked = rankCounties(counties, [...all, yangshan], '2026-07-01');
    expect(ranked.map((x) => [x.c.name, x.r.completionRateCount, x.overdue])).toEqual([
      ['连南瑶族自治县', 0.5, 0],
      ['阳山县', 0, 0],
      ['连山壮族瑶族自治县', 0, 1],
      ['连州市', null, 0], // no projects: last
    ]);
    expect(ranked[0].r.projects).toBe(2);
    expect(ranked[2].r.projects).toBe(1); // the cancelled project is not counted
  });

  it('a share to four places (学位交付率), empty when there is nothing to deliver', () => {
    expect(share(270, 900)).toBe(0.3);
    expect(share(1, 3)).toBe(0.3333);
    expect(share(2, 3)).toBe(0.6667);
    expect(share(5, 0)).toBeNull();
  });

  it('与序时进度差: a rate less 序时进度, to four places', () => {
    expect(vsSchedule(0.2, 0.7486)).toBe(-0.5486);
    expect(vsSchedule(0.75, 0.4973)).toBe(0.2527);
    expect(vsSchedule(null, 0.5)).toBeNull();
    expect(vsSchedule(0.5, null)).toBeNull();
  });

  it('二、学位: permanent seats planned and delivered per stage, transitional apart, cancelled out', () => {
    const trans = project({
      id: 6,
      status: 'in_use',
      transitional: true,
      seats: seats({ primary: 45, kindergarten: 30 }),
    });
    const { stages, total } = seatLines([...all, trans]);
    expect(stages.map((s) => [s.stage, s.planned, s.delivered])).toEqual([
      ['kindergarten', 270, 270],
      ['primary', 900, 0],
      ['juniorMiddle', 0, 0],
      ['seniorSecondary', 0, 0],
      ['specialEducation', 0, 0],
    ]);
    expect(stages[0]).toMatchObject({ transitionalPlanned: 30, transitionalDelivered: 30 });
    expect(stages[1]).toMatchObject({ transitionalPlanned: 45, transitionalDelivered: 45 });
    expect(total).toEqual({
      planned: 1170,
      delivered: 270,
      transitionalPlanned: 75,
      transitionalDelivered: 75,
    });
  });

  it('三、资金: sums in fen, and the gap of completed and of building projects', () => {
    expect(sumFen(all, (p) => p.budget ?? 0n)).toBe(11_000_000n);
    expect(sumFen(all, (p) => p.gap)).toBe(1_050_000n);
    expect(gapByStatus(all)).toEqual({ completed: 50_000n, building: 100_000n });
    expect(gapByStatus([])).toEqual({ completed: 0n, building: 0n });
  });
});
