import {
  checkTransition,
  kindFromName,
  PROJECT_STATUSES,
  ProjectStatus,
  TRANSITIONS,
} from './project-rules';

// Every from → to pair, spelled out so a change to the table has to change this test too.
const LEGAL: Record<ProjectStatus, ProjectStatus[]> = {
  planned: ['planned', 'preparing', 'under_construction', 'suspended', 'cancelled'],
  preparing: ['planned', 'preparing', 'under_construction', 'suspended', 'cancelled'],
  under_construction: ['under_construction', 'completed', 'suspended', 'cancelled'],
  completed: ['completed', 'in_use'],
  in_use: ['in_use'],
  suspended: ['planned', 'preparing', 'under_construction', 'suspended', 'cancelled'],
  cancelled: ['cancelled'],
};

describe('status transitions', () => {
  const pairs = PROJECT_STATUSES.flatMap((from) =>
    PROJECT_STATUSES.map((to) => [from, to] as const),
  );

  it.each(pairs)('%s → %s', (from, to) => {
    const result = checkTransition({ from, to, actualCompletion: '2024-08-30' });
    if (LEGAL[from].includes(to)) expect(result).toBeNull();
    else {
      expect(result?.code).toBe('ILLEGAL_TRANSITION');
      expect(result?.detail).toMatch(/^不能从“.+”变更为“.+”（可变更为：.+）$/);
    }
  });

  it('covers all 49 pairs', () => expect(pairs).toHaveLength(49));

  it('requires an actual completion date to complete', () => {
    expect(
      checkTransition({ from: 'under_construction', to: 'completed', actualCompletion: null }),
    ).toEqual({
      code: 'ACTUAL_COMPLETION_REQUIRED',
      detail: '状态“已竣工”须有实际竣工日期',
    });
    expect(checkTransition({ from: 'completed', to: 'in_use', actualCompletion: null })?.code).toBe(
      'ACTUAL_COMPLETION_REQUIRED',
    );
  });

  it('describes an illegal jump in Chinese', () => {
    expect(
      checkTransition({ from: 'planned', to: 'completed', actualCompletion: '2024-01-01' })?.detail,
    ).toBe('不能从“谋划储备”变更为“已竣工”（可变更为：前期工作、在建、暂停、取消）');
    expect(TRANSITIONS.cancelled).toEqual([]);
  });
});

describe('kindFromName', () => {
  it.each([
    ['民族高级中学（修缮改造）', 'renovation'],
    ['新城中学（新建）', 'new_build'],
    ['坪梅中学教学楼（拆建和扩建）', 'expansion'],
    ['寨岗中学（初中）', null],
    ['三排镇横坑幼儿园', null],
    ['某小学（异地迁建）', 'relocation'],
  ])('%s → %s', (name, kind) => expect(kindFromName(name)).toBe(kind));
});
