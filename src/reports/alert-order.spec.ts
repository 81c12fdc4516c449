import { AlertCondition } from '../alerts/alert-rules';
import { milestoneOf, sortedAlerts } from './monthly-report.writer';

const alert = (
  n: number,
  severity: AlertCondition['severity'],
  daysOverdue: number,
  projectId: number,
): AlertCondition => ({
  kind: 'milestone_overdue',
  subjectKey: `milestone:${n}`,
  projectId,
  milestoneId: n,
  regionId: 1,
  severity,
  daysOverdue,
  owner: null,
  message: `m${n}`,
});

describe('逾期预警 order', () => {
  it('is red, yellow, blue; most days late first; by project; ties in the rules’ order', () => {
    const list = [
      alert(1, 'blue', -3, 9),
      alert(2, 'red', 120, 5),
      alert(3, 'yellow', 40, 2),
      alert(4, 'red', 95, 1),
      alert(5, 'red', 120, 3),
      alert(6, 'blue', 5, 7),
      alert(7, 'red', 120, 3),
      alert(8, 'blue', -3, 9),
    ];
    expect(sortedAlerts(list).map((a) => a.subjectKey)).toEqual(
      [5, 7, 2, 4, 3, 6, 1, 8].map((n) => `milestone:${n}`),
    );
    // the same as the comparator sort it replaces
    const rank = { red: 0, yellow: 1, blue: 2 };
    expect(sortedAlerts(list)).toEqual(
      [...list].sort(
        (a, b) =>
          rank[a.severity] - rank[b.severity] ||
          b.daysOverdue - a.daysOverdue ||
          a.projectId - b.projectId,
      ),
    );
  });

  it('names the milestone of a message as the first 「…」 does', () => {
    const cases = [
      '连南瑶族自治县 三江镇中心幼儿园「主体封顶」：计划2026年8月完成，已逾期61天，责任人：张三',
      '「」「甲」」',
      '无里程碑',
      '「未闭合',
      '「一\n二」「三」',
    ];
    expect(cases.map(milestoneOf)).toEqual(cases.map((m) => /「(.+?)」/.exec(m)?.[1] ?? ''));
    expect(milestoneOf(cases[0])).toBe('主体封顶');
  });
});
