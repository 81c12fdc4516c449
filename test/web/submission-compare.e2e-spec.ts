/**
 * 与上一次报送相比 (web/src/submissions.ts): the figures, then what else was compared — 本月变动's row
 * counts and the sheets whose cells differ — or, against a version frozen without sheet digests,
 * that the detail was not compared.
 */
import type { SubmissionDetail } from '../../web/src/api-types';
import { changesSinceLast, comparisonText, detailSinceLast } from '../../web/src/submissions';

type Snapshot = SubmissionDetail['files'][number]['snapshot'];
const region = {
  regionId: 7,
  regionName: '连南瑶族自治县',
  projects: { under_construction: 3 },
  projectTotal: 3,
  budgetWan: '1000.00',
  committedWan: '800.00',
  arrivedWan: '600.00',
  paidWan: '500.00',
  gapWan: '200.00',
  overdue: 1,
};
const sheets = (changes: string) => [
  { name: '汇总', rows: 43, sha256: 'a'.repeat(64) },
  { name: '进度与资金', rows: 11, sha256: changes.repeat(64) },
  { name: '本月变动', rows: 15, sha256: changes.repeat(64) },
];
const detailOf = (...snapshots: Snapshot[]) =>
  ({ files: snapshots.map((snapshot, i) => ({ seq: i + 1, snapshot })) }) as SubmissionDetail;
const snap = (extra: Partial<Snapshot> = {}): Snapshot => ({
  month: '2026-11',
  asOf: '2026-11-30',
  regions: [region],
  ...extra,
});

describe('与上一次报送相比', () => {
  it('a 进度填报 more: the figures the same, 本月变动 12 → 13 条 and the sheets that differ', () => {
    const d = detailOf(
      snap({ monthChanges: 12, corrections: 2, sheets: sheets('b') }),
      snap({ monthChanges: 13, corrections: 2, sheets: sheets('c') }),
    );
    const figures = changesSinceLast(d, {})!;
    expect(figures).toEqual([]);
    expect(comparisonText(figures.length > 0, detailSinceLast(d)!)).toBe(
      '汇总数字相同；本月变动 12 → 13 条；2 张表内容不同：进度与资金、本月变动',
    );
  });

  it('the same workbook: every sheet compared and equal', () => {
    const d = detailOf(
      snap({ monthChanges: 12, corrections: 0, sheets: sheets('b') }),
      snap({ monthChanges: 12, corrections: 0, sheets: sheets('b') }),
    );
    expect(comparisonText(false, detailSinceLast(d)!)).toBe(
      '与上一次报送的报表完全相同（各表逐格比较）',
    );
  });

  it('against an older version frozen without digests: 明细未比较', () => {
    const d = detailOf(snap(), snap({ monthChanges: 13, corrections: 0, sheets: sheets('c') }));
    expect(comparisonText(false, detailSinceLast(d)!)).toBe('汇总数字相同（明细未比较）');
    const paid = detailOf(
      snap(),
      snap({ regions: [{ ...region, paidWan: '550.00' }], sheets: sheets('c') }),
    );
    const figures = changesSinceLast(paid, {})!;
    expect(figures).toEqual([
      {
        region: '连南瑶族自治县',
        label: '已支付（万元）',
        before: '500.00',
        after: '550.00',
        money: true,
      },
    ]);
    expect(comparisonText(true, detailSinceLast(paid)!)).toBe(
      '汇总数字有变化，见下表（明细未比较）',
    );
  });

  it('a first version: nothing to compare', () => {
    expect(detailSinceLast(detailOf(snap()))).toBeNull();
  });
});
