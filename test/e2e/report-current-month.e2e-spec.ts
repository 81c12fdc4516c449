import ExcelJS from 'exceljs';
import { JobsService } from '../../src/jobs/jobs.service';
import { Clock } from '../../src/common/clock';
import {
  Agent,
  binary,
  createTestApp,
  pinClock,
  regionIds,
  TestApp,
  workbookAt,
} from '../support/app';

/**
 * 04:00 of 2026-12-05 in Shanghai, still 12-04 in UTC: the month 2026-12 is not yet over, and a
 * date taken from UTC would be a day early.
 */
const NOW = '2026-12-04T20:00:00.000Z';
const OPEN_LINE = '截至2026年12月5日，本月尚未结束';

/** Every cell text of a sheet, row by row. */
function texts(ws: ExcelJS.Worksheet): string[] {
  const out: string[] = [];
  ws.eachRow((row) =>
    row.eachCell((c) => {
      if (typeof c.value === 'string') out.push(c.value);
    }),
  );
  return out;
}

/** The rows below the header of a sheet as column-value arrays (header on row `head`). */
function rows(ws: ExcelJS.Worksheet, head: number): unknown[][] {
  const out: unknown[][] = [];
  ws.eachRow((row, n) => {
    if (n > head) out.push((row.values as unknown[]).slice(1));
  });
  return out;
}

/** The row number of the header row: the row whose first cell is `first`. */
function headerRow(ws: ExcelJS.Worksheet, first: string): number {
  let at = 0;
  ws.eachRow((row, n) => {
    if (!at && row.getCell(1).value === first) at = n;
  });
  return at;
}

function summaryValue(ws: ExcelJS.Worksheet, label: string): unknown {
  let out: unknown;
  ws.eachRow((row) => {
    if (out === undefined && row.getCell(1).value === label) out = row.getCell(2).value;
  });
  return out;
}

// reading a cell back for comparison: the float is exceljs's, at the cell boundary
// eslint-disable-next-line no-restricted-syntax
const wan = (n: unknown) => (typeof n === 'number' ? n.toFixed(2) : String(n));

describe('the report of the current month is as of today (issue 29, points 3 and 7)', () => {
  let t: TestApp;
  let liannan: number;
  let county: Agent;
  let early: { id: number; name: string };
  let dropped: { id: number; name: string };

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    const regions = await regionIds(t);
    liannan = regions['连南瑶族自治县'];
    const items = (
      await t.http().get(`/api/projects?regionId=${liannan}&pageSize=100&sort=id`).expect(200)
    ).body.items as { id: number; name: string; status: string }[];
    const open = items.filter((p) => p.status !== 'cancelled');
    [early, dropped] = [open[0], open[1]];
    // a milestone due later this month: not late today, whatever the month's end would say
    await t
      .http()
      .post(`/api/projects/${early.id}/milestones`)
      .send({ key: 'fire_inspection', name: '消防验收', plannedDate: '2026-12-20' })
      .expect(201);
    // a late milestone of a project then cancelled: the alert rule leaves it out
    await t
      .http()
      .post(`/api/projects/${dropped.id}/milestones`)
      .send({ key: 'fire_inspection', name: '消防验收（已取消项目）', plannedDate: '2026-06-30' })
      .expect(201);
    await t
      .http()
      .post(`/api/projects/${dropped.id}/progress`)
      .send({ reportedOn: '2026-11-10', status: 'cancelled', progressPercent: 0 })
      .expect(201);
    // money of two sources, one on the cancelled project (its stage: 其他状态)
    const finance = await t.as('finance', liannan);
    await finance
      .post(`/api/projects/${early.id}/funding`)
      .send({
        source: 'central_budget',
        committedWan: '1200.5',
        committedOn: '2026-11-03',
        receivedWan: '300.25',
        receivedOn: '2026-12-04',
      })
      .expect(201);
    await finance
      .post(`/api/projects/${dropped.id}/funding`)
      .send({ source: 'county_budget', committedWan: '88.8', committedOn: '2026-10-01' })
      .expect(201);
    county = await t.as('viewer', liannan);
  });

  afterAll(() => t.close());

  it('says 截至今天，本月尚未结束 on every sheet', async () => {
    const wb = await workbookAt(county, '/api/reports/monthly?month=2026-12');
    expect(wb.worksheets.length).toBeGreaterThanOrEqual(7);
    for (const ws of wb.worksheets) {
      const info = String(ws.getRow(2).getCell(1).value);
      expect({ sheet: ws.name, info }).toEqual({
        sheet: ws.name,
        info: expect.stringContaining(OPEN_LINE),
      });
      expect(info).not.toContain('2026-12-31');
    }
  });

  it('has the figures and alerts of today: funding summary and /api/alerts as of 2026-12-05', async () => {
    const wb = await workbookAt(county, '/api/reports/monthly?month=2026-12');
    const summary = (
      await county.get('/api/funding/summary?asOf=2026-12-05&groupBy=planYear').expect(200)
    ).body.total as Record<string, string>;
    const sheet = wb.getWorksheet('汇总')!;
    expect(wan(summaryValue(sheet, '资金测算（概算）'))).toBe(summary.budgetWan);
    expect(wan(summaryValue(sheet, '已落实资金'))).toBe(summary.committedWan);
    expect(wan(summaryValue(sheet, '已到位资金'))).toBe(summary.receivedWan);
    expect(wan(summaryValue(sheet, '已支付'))).toBe(summary.paidWan);
    expect(wan(summaryValue(sheet, '资金缺口（全部项目）'))).toBe(summary.gapWan);

    // 资金来源: the funding summary's sums by source for the day, source for source
    const bySource = (
      await county.get('/api/funding/summary?asOf=2026-12-05&groupBy=source').expect(200)
    ).body.groups as { label: string; committedWan: string; receivedWan: string }[];
    const funding = wb.getWorksheet('资金来源')!;
    const sheetSources = rows(funding, 3)
      .filter((r) => typeof r[0] === 'string' && r[0] !== '合计')
      .map((r) => ({ label: String(r[0]), committedWan: wan(r[7]), receivedWan: wan(r[8]) }))
      .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN'));
    // (the sheet lists the sources in their own order, the summary by key: compared by name)
    expect(sheetSources).toEqual(
      bySource
        .map((g) => ({
          label: g.label,
          committedWan: g.committedWan,
          receivedWan: g.receivedWan,
        }))
        .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN')),
    );
    expect(sheetSources.map((x) => x.label)).toHaveLength(bySource.length);
    expect(sheetSources.find((x) => x.receivedWan === '300.25')).toMatchObject({
      committedWan: '1200.50',
    });

    // 逾期预警: exactly the alerts of today, message for message
    const live = (await county.get('/api/alerts?asOf=2026-12-05&pageSize=500').expect(200)).body
      .items as { message: string }[];
    const ws = wb.getWorksheet('逾期预警')!;
    const sheetMessages = rows(ws, headerRow(ws, '序号'))
      .map((r) => r[8])
      .filter((m): m is string => typeof m === 'string' && m.length > 0 && !m.startsWith('图例：'));
    expect(sheetMessages.sort()).toEqual(live.map((a) => a.message).sort());
    expect(sheetMessages.length).toBeGreaterThan(0);

    // the milestone due 12-20 is due soon (15 days left), not 已逾期11天
    const mine = sheetMessages.filter((m) => m.includes('「消防验收」'));
    expect(mine).toEqual([
      `连南瑶族自治县 ${early.name}「消防验收」：将于2026年12月20日到期（还有15天），责任人：未指定`,
    ]);
    const ms = wb.getWorksheet('里程碑')!;
    const line = rows(ms, 3).find((r) => r.includes('消防验收') && r.includes(early.name));
    expect(line).toContain('未到期');
    expect(line).not.toContain('逾期');
  });

  it('leaves a cancelled project’s late milestone out, as the alert rule does', async () => {
    for (const month of ['2026-12', '2026-11']) {
      const wb = await workbookAt(county, `/api/reports/monthly?month=${month}`);
      const alerts = texts(wb.getWorksheet('逾期预警')!);
      expect(alerts.some((s) => s.includes('消防验收（已取消项目）'))).toBe(false);
      const ms = wb.getWorksheet('里程碑')!;
      const line = rows(ms, 3).find((r) => r.includes('消防验收（已取消项目）'));
      expect({ month, line }).toEqual({ month, line: expect.arrayContaining(['项目已取消']) });
      expect(line).not.toContain('逾期');
    }
    // and the alerts agree
    const live = (await county.get('/api/alerts?asOf=2026-12-05&pageSize=500').expect(200)).body
      .items as { message: string }[];
    expect(live.some((a) => a.message.includes('消防验收（已取消项目）'))).toBe(false);
  });

  it('refuses a month not yet begun, naming the field month', async () => {
    const r = await county.get('/api/reports/monthly?month=2027-01').expect(400);
    expect(r.body.errors).toEqual([
      {
        path: 'month',
        code: 'MONTH_IN_FUTURE',
        message: '报表月份不能晚于本月：2027年1月尚未开始，今天是2026年12月5日',
      },
    ]);
    const job = await county.get('/api/reports/monthly?month=2027-01&async=true').expect(400);
    expect(job.body.errors[0].path).toBe('month');
    expect((await county.get('/api/reports/calendar').expect(200)).body).toEqual({
      today: '2026-12-05',
      month: '2026-12',
    });
  });

  it('reports a past month as of its last day, as before', async () => {
    const wb = await workbookAt(county, '/api/reports/monthly?month=2026-11');
    for (const ws of wb.worksheets) {
      const info = String(ws.getRow(2).getCell(1).value);
      expect(info).toContain('截至日期：2026-11-30');
      expect(info).not.toContain('本月尚未结束');
    }
  });

  it('runs the current month as a job the same way', async () => {
    const job = await county.get('/api/reports/monthly?month=2026-12&async=true').expect(202);
    await t.app.get(JobsService).settle();
    const status = (await county.get(job.body.statusUrl).expect(200)).body;
    expect(status).toMatchObject({ kind: 'monthly_report', status: 'done' });
    const wb = await workbookAt(county, status.resultUrl);
    for (const ws of wb.worksheets)
      expect(String(ws.getRow(2).getCell(1).value)).toContain(OPEN_LINE);
    expect(texts(wb.getWorksheet('逾期预警')!).join('\n')).toContain(
      `${early.name}「消防验收」：将于2026年12月20日到期（还有15天）`,
    );
  });

  it('names the project export by the business day, not the UTC one', async () => {
    await t.as('viewer', liannan, 'viewer_export');
    // 16:30 UTC on New Year's Eve is already 2027-01-01 in Shanghai
    pinClock(t.app.get(Clock), '2026-12-31T16:30:00.000Z');
    try {
      const viewer = t.withToken(await t.login('viewer_export', 'User-Pass-123'));
      const res = await viewer
        .get('/api/projects/export.xlsx')
        .buffer(true)
        .parse(binary)
        .expect(200);
      const disposition = String(res.headers['content-disposition']);
      const name = decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(disposition)![1]);
      expect(name).toBe('学校建设项目规划表-连南瑶族自治县-2027-01-01.xlsx');
    } finally {
      pinClock(t.app.get(Clock), NOW);
    }
  });
});
