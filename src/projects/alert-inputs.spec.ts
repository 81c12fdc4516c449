import { changesAlertInputs } from './alert-inputs';
import type { Project } from './project.entity';

const base = {
  id: 7,
  code: null,
  name: '连南县第一幼儿园',
  regionId: 3,
  town: '三江镇',
  planYear: 2025,
  status: 'under_construction',
  plannedStart: '2025-03-01',
  plannedCompletion: '2026-08-31',
  plannedCompletionDue: '2026-08-31',
  actualCompletion: null,
  budgetFen: 123_456_789,
  builder: null,
  phone: null,
  archivedAt: null,
  version: 4,
  updatedAt: '2026-12-01T02:00:00.000Z',
} as unknown as Project;

const after = (patch: Record<string, unknown>) => ({ ...base, ...patch }) as unknown as Project;

describe('changesAlertInputs', () => {
  it('is false when only columns no alert rule reads change (town, contacts, start, version)', () => {
    expect(
      changesAlertInputs(
        base,
        after({
          town: '寨岗镇',
          builder: '连南县教育局',
          phone: '0763-1234567',
          plannedStart: '2025-04-01',
          version: 5,
          updatedAt: '2026-12-06T02:00:00.000Z',
        }),
      ),
    ).toBe(false);
  });

  it.each([
    ['name', '连南县第二幼儿园'],
    ['regionId', 4],
    ['status', 'completed'],
    ['plannedCompletion', '2026-09-30'],
    ['plannedCompletionDue', '2026-09-30'],
    ['actualCompletion', '2026-11-30'],
    ['budgetFen', 123_456_790],
    ['archivedAt', '2026-12-06T02:00:00.000Z'],
  ])('is true when %s changes (the alert rules or their messages read it)', (key, value) => {
    expect(changesAlertInputs(base, after({ [key]: value }))).toBe(true);
  });

  it('is true for a column it does not know (a column added later refreshes)', () => {
    expect(changesAlertInputs(base, after({ someNewColumn: 'x' }))).toBe(true);
  });
});
