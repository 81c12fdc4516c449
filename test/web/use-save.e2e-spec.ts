/**
 * useSave (web/src/composables/use-save.ts): one write per click, the fields a refusal names on
 * the form, a 409 to the screen's reload, anything else in words. Element Plus's message is
 * replaced by a recorder: what the officer would read.
 */
const shown: string[] = [];
jest.mock('element-plus', () => ({ ElMessage: { error: (m: string) => void shown.push(m) } }));

import { ApiError, type FieldError } from '../../web/src/api';
import {
  clearErrors,
  fieldMessages,
  showFailure,
  useSave,
} from '../../web/src/composables/use-save';

const refused = (
  status: number,
  errors: { path: string; message: string }[] = [],
  code: FieldError['code'] = 'VALIDATION_FAILED',
) =>
  new ApiError(
    status,
    code,
    '请求被拒绝',
    errors.map((e) => ({ ...e, code })),
  );

beforeEach(() => void shown.splice(0));

describe('useSave', () => {
  it('runs one write at a time: a second click while the first waits writes nothing', async () => {
    const save = useSave();
    let release!: () => void;
    let writes = 0;
    const write = () => {
      writes++;
      return new Promise<void>((r) => (release = r));
    };
    const first = save.run(write, { failText: '保存失败' });
    expect(save.pending.value).toBe(true);
    expect(await save.run(write, { failText: '保存失败' })).toBe(false);
    expect(writes).toBe(1);
    release();
    expect(await first).toBe(true);
    expect(save.pending.value).toBe(false);
  });

  it('marks the fields a 400 names on the form, the old marks cleared first', async () => {
    const errors: Record<string, string> = { name: '旧的提示' };
    const save = useSave();
    const ok = await save.run(
      () => Promise.reject(refused(400, [{ path: 'planYear', message: '年度须为四位数字' }])),
      { failText: '保存失败', fields: errors },
    );
    expect(ok).toBe(false);
    expect(errors).toEqual({ planYear: '年度须为四位数字' });
    expect(shown).toEqual([]);
    expect(save.pending.value).toBe(false);
  });

  it('gives a one-field dialog the messages in one line', async () => {
    let line = '';
    await showFailure(
      refused(400, [
        { path: 'reason', message: '请填写撤回原因' },
        { path: 'id', message: '该记录已撤回' },
      ]),
      { failText: '撤回失败', fields: (list) => void (line = fieldMessages(list)) },
    );
    expect(line).toBe('请填写撤回原因；该记录已撤回');
  });

  it('hands a 409 to the screen (its reload and words), the form left as typed', async () => {
    const errors: Record<string, string> = { note: '保留' };
    const conflicts: string[] = [];
    await showFailure(
      refused(409, [{ path: 'version', message: '数据已被他人修改' }], 'VERSION_CONFLICT'),
      {
        failText: '保存失败',
        fields: errors,
        conflict: (e) => void conflicts.push(e.code),
      },
    );
    expect(conflicts).toEqual(['VERSION_CONFLICT']);
    expect(errors).toEqual({ note: '保留' });
    expect(shown).toEqual([]);
  });

  it('a 409 with no reload of its own is shown as any refusal: under the field it names', async () => {
    let line = '';
    await showFailure(refused(409, [{ path: 'version', message: '数据已被他人修改' }]), {
      failText: '撤回失败',
      fields: (list) => void (line = fieldMessages(list)),
    });
    expect(line).toBe('数据已被他人修改');
  });

  it('a 409 that is a rule, not a stale version, shows its own words, then the screen reloads', async () => {
    const conflicts: string[] = [];
    const reloaded: string[] = [];
    const how = {
      failText: '撤回失败',
      conflict: (e: ApiError) => void conflicts.push(e.code),
      refused: (e: ApiError) => void reloaded.push(e.code),
    };
    await showFailure(new ApiError(409, 'SUBMISSION_OPENED', '上级已开始审核，不能撤回'), how);
    await showFailure(
      new ApiError(409, 'SUBMISSION_STATE', '月报当前状态不能执行此操作：当前为已通过'),
      how,
    );
    // a stale version and a newer report: the screen's reload and its own words
    await showFailure(refused(409, [], 'VERSION_CONFLICT'), how);
    await showFailure(refused(409, [], 'STALE_PROGRESS'), how);
    expect(shown).toEqual(['上级已开始审核，不能撤回', '月报当前状态不能执行此操作：当前为已通过']);
    expect(reloaded).toEqual(['SUBMISSION_OPENED', 'SUBMISSION_STATE']);
    expect(conflicts).toEqual(['VERSION_CONFLICT', 'STALE_PROGRESS']);
  });

  it('a 409 PERIOD_SUBMITTED is marked under the field it names, never as a conflict', async () => {
    const errors: Record<string, string> = {};
    const conflicts: string[] = [];
    await showFailure(
      refused(
        409,
        [{ path: 'actualDate', message: '2026年11月月报已通过审核，需上级重新打开后才能修改' }],
        'PERIOD_SUBMITTED',
      ),
      { failText: '保存失败', fields: errors, conflict: (e) => void conflicts.push(e.code) },
    );
    expect(errors).toEqual({ actualDate: '2026年11月月报已通过审核，需上级重新打开后才能修改' });
    expect(conflicts).toEqual([]);
    expect(shown).toEqual([]);
  });

  it("says anything else in the API's words, else the screen's", async () => {
    const errors: Record<string, string> = { name: '旧的提示' };
    await showFailure(refused(403), { failText: '保存失败', fields: errors });
    await showFailure(new TypeError('Failed to fetch'), { failText: '提交失败' });
    expect(shown).toEqual(['请求被拒绝', '提交失败']);
    expect(errors).toEqual({});
  });

  it('clears a record in place (the template keeps reading the same object)', () => {
    const errors: Record<string, string> = { a: '1', b: '2' };
    const same = errors;
    clearErrors(errors);
    expect(same).toEqual({});
  });
});
