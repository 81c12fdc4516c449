import { kindFilter, listOrder, SEARCH_SQL, searchPattern } from './projects.query';

describe('project list query (项目台账)', () => {
  it('orders by 年度 ascending by default, nulls last', () => {
    expect(listOrder(undefined)).toEqual({ column: 'p.planYear', dir: 'ASC', nulls: 'NULLS LAST' });
  });

  it('a leading minus sorts descending, nulls first (the reverse of ascending)', () => {
    expect(listOrder('-budgetWan')).toEqual({
      column: 'p.budgetFen',
      dir: 'DESC',
      nulls: 'NULLS FIRST',
    });
    expect(listOrder('plannedCompletion')).toEqual({
      column: 'p.plannedCompletionDue',
      dir: 'ASC',
      nulls: 'NULLS LAST',
    });
    expect(listOrder('-seatsTotal').column).toBe(
      'p.seatsKindergarten + p.seatsPrimary + p.seatsJuniorMiddle + p.seatsSeniorSecondary + p.seatsSpecialEducation',
    );
  });

  it('搜索 matches anywhere, with %, _ and the backslash meaning themselves', () => {
    expect(searchPattern('横坑')).toBe('%横坑%');
    expect(searchPattern('50%_a\\b')).toBe('%50\\%\\_a\\\\b%');
  });

  it('搜索 looks in the name, code, builder, contractor, manager and phone', () => {
    expect(SEARCH_SQL).toBe(
      "(p.name LIKE :like ESCAPE '\\' OR p.code LIKE :like ESCAPE '\\' OR p.builder LIKE :like ESCAPE '\\'" +
        " OR p.contractor LIKE :like ESCAPE '\\' OR p.manager LIKE :like ESCAPE '\\' OR p.phone LIKE :like ESCAPE '\\')",
    );
  });

  it('类型: the kinds listed, and none = 未分类 (no kind given)', () => {
    expect(kindFilter(['new_build', 'expansion'])).toEqual({
      sql: '(p.kind IN (:...kind))',
      kinds: ['new_build', 'expansion'],
    });
    expect(kindFilter(['none'])).toEqual({ sql: '(p.kind IS NULL)', kinds: [] });
    expect(kindFilter(['relocation', 'none'])).toEqual({
      sql: '(p.kind IN (:...kind) OR p.kind IS NULL)',
      kinds: ['relocation'],
    });
  });
});
