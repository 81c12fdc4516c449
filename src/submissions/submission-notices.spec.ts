import { cycleMessages } from './submission-notices';
import type { SubmissionCheck, SubmissionSnapshot } from './submission-types';

const check = (level: SubmissionCheck['level'], i: number): SubmissionCheck =>
  ({ level, code: 'NO_REPORT', message: `项目${i}：未填报` }) as SubmissionCheck;

describe('the cycle’s group messages', () => {
  const base = {
    id: 9,
    month: '2026-11',
    seq: 1,
    filePath: '9/1.xlsx',
    snapshot: { regions: [] } as unknown as SubmissionSnapshot,
  };
  const region = { id: 40, name: '连南瑶族自治县', parentId: 3 };
  const lines = (m: { lines: string[] }) => m.lines.join('\n');

  it('names people by 姓名 and says 强制报送 with its error count and 说明', () => {
    const checks = [
      ...Array.from({ length: 14 }, (_, i) => check('error', i)),
      check('warning', 99),
    ];
    const [submitted] = cycleMessages(
      'submit',
      { ...base, forced: true, forceNote: '部分项目本月停工，下月补报', checks },
      region,
      '李基建',
      null,
      { sizeBytes: 10 },
      1,
    );
    expect(lines(submitted)).toBe(
      [
        '> 连南瑶族自治县已报送2026年11月月报（第1次报送），请审核。',
        '> 报送人：李基建',
        '> 强制报送（14 处错误）：部分项目本月停工，下月补报',
      ].join('\n'),
    );
    const approved = cycleMessages(
      'approve',
      { ...base, forced: true, forceNote: '部分项目本月停工，下月补报', checks },
      region,
      '王审核',
      null,
      { sizeBytes: 10 },
      2,
    );
    expect(approved.map((m) => [m.topic, m.regionId])).toEqual([
      ['submissions', 40],
      ['reports', 40],
      ['reports', 3],
    ]);
    expect(lines(approved[1])).toContain(
      '> 状态：已审核通过（审核人：王审核）\n> 强制报送（14 处错误）：部分项目本月停工，下月补报',
    );
    // not forced: no such line
    const [plain] = cycleMessages(
      'submit',
      { ...base, forced: false, forceNote: null, checks: [check('warning', 1)] },
      region,
      '李基建',
      null,
      { sizeBytes: 10 },
      3,
    );
    expect(lines(plain)).not.toContain('强制报送');
  });
});
