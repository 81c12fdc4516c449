import type { MonthEvent, ReportChange } from './report-data.service';
import { changeRows, eventText } from './report-changes';

const base = { projectId: 7, projectName: '寨岗镇中心小学', regionName: '连南瑶族自治县' };
const change = (over: Partial<ReportChange>): ReportChange => ({
  at: '2026-11-05T02:22:10.000Z',
  actorName: 'liannan',
  actorDisplayName: '李明',
  action: 'update',
  entity: 'project',
  projectName: '寨岗镇中心小学',
  changes: {},
  ...over,
});
const data = (changes: ReportChange[]) => ({
  timeZone: 'Asia/Shanghai',
  regionNames: new Map([[3, '连南瑶族自治县']]),
  planNames: new Map<number, string>(),
  changes,
});

describe('本月变动 wording', () => {
  it('a progress report that moves the status: 状态变更, then the report', () => {
    const e: MonthEvent = {
      ...base,
      date: '2026-11-20',
      kind: 'report',
      status: 'under_construction',
      previous: 'preparing',
      progressPercent: 20,
      investmentFen: 12_345_678n,
    };
    expect(eventText(e)).toEqual([
      ['状态变更', '前期工作 → 在建'],
      ['进度填报', '状态 在建，形象进度 20%，累计完成投资 12.35 万元'],
    ]);
  });

  it('money events in 万元 with their source or payee', () => {
    const money = { ...base, date: '2026-11-03', amountFen: 50_000_000n };
    expect(eventText({ ...money, kind: 'received', source: 'central_budget' })).toEqual([
      ['资金到位', '中央预算内 50.00 万元'],
    ]);
    expect(eventText({ ...money, kind: 'payment', payee: '清远建工' })).toEqual([
      ['支付', '清远建工 50.00 万元'],
    ]);
    expect(
      eventText({ ...base, date: '2026-11-03', kind: 'revision', budgetFen: 10_000n, reason: '' }),
    ).toEqual([['概算调整', '资金测算调整为 0.01 万元']]);
  });

  it('a withdrawn progress report as an 更正 line', () => {
    expect(
      eventText({
        ...base,
        date: '2026-11-25',
        kind: 'withdrawal',
        entity: 'progress_report',
        on: '2026-11-20',
        status: 'under_construction',
        progressPercent: 20,
        budgetFen: null,
        reason: '填错项目',
      }),
    ).toEqual([['更正', '撤回 2026-11-20 进度填报（在建，形象进度 20%），原因：填错项目']]);
  });

  it('录入更正: a typed change in words, at the minute in the business time zone', () => {
    const rows = changeRows(
      data([change({ changes: { name: { old: '寨岗小学', new: '寨岗镇中心小学' } } })]),
    );
    expect(rows).toEqual([
      {
        at: '2026-11-05 10:22',
        project: '寨岗镇中心小学',
        actor: '李明（liannan）',
        action: '修改项目',
        text: '项目名称：寨岗小学 → 寨岗镇中心小学',
      },
    ]);
  });

  it('an import is one line: its projects created and updated counted', () => {
    const at = '2026-11-06T01:00:00.000Z';
    const imported = (name: { old: string | null; new: string }) =>
      change({ at, action: 'import', actorDisplayName: null, changes: { name } });
    const rows = changeRows(
      data([
        imported({ old: null, new: '甲' }),
        imported({ old: null, new: '乙' }),
        imported({ old: '丙', new: '丙校' }),
      ]),
    );
    expect(rows).toEqual([
      {
        at: '2026-11-06 09:00',
        project: '3个项目',
        actor: 'liannan',
        action: '导入',
        text: '导入规划表：新增2个项目，更新1个',
      },
    ]);
  });
});
