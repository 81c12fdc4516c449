import ExcelJS from 'exceljs';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * scripts/report-pdf.sh writes its workbook with scripts/report-file.ts (then LibreOffice prints it):
 * the same report the API serves, for a region given by name or id, from the configured database.
 */
describe('scripts/report-file (the workbook scripts/report-pdf.sh prints)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-file-'));
  const env = {
    ...process.env,
    DATABASE_URL: '',
    SQLITE_PATH: path.join(dir, 'tracker.sqlite'),
    JOBS_DIR: path.join(dir, 'jobs'),
    ADMIN_PASSWORD: 'Report-File-Pass-1',
  };
  const script = (...args: string[]) =>
    run(
      process.execPath,
      [require.resolve('ts-node/dist/bin'), '--transpile-only', 'scripts/report-file.ts', ...args],
      { env, cwd: path.resolve(__dirname, '../..'), timeout: 100_000 },
    );
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the month’s report of a region named in Chinese from the reference data', async () => {
    const { stdout } = await script('2026-11', '连南瑶族自治县', path.join(dir, 'out'));
    const file = stdout.trim().split('\n').pop()!;
    expect(path.basename(file)).toBe('连南瑶族自治县学校建设项目月度进展报表-2026-11.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '汇总',
      '项目明细',
      '项目联系人',
      '进度与资金',
      '逾期预警',
      '里程碑',
      '资金来源',
      '本月变动',
      '规划目标',
    ]);
    const detail = wb.getWorksheet('项目明细')!;
    expect(detail.getCell('A1').value).toBe(
      '连南瑶族自治县 · 学校建设项目月度进展报表 · 2026年11月',
    );
    // the 14 projects of the plan table and their 合计 of 62,271.00 万元
    const total = detail.getRow(5 + 14).getCell(14).value as ExcelJS.CellFormulaValue;
    expect([detail.getRow(5 + 14).getCell(4).value, total.result]).toEqual(['合计', 62271]);
  });

  it('names the regions there are when the one asked for is not there', async () => {
    await expect(script('2026-11', '不存在县', path.join(dir, 'out'))).rejects.toMatchObject({
      stderr: expect.stringMatching(/no region "不存在县"; regions: .*连南瑶族自治县/),
    });
  });
});
