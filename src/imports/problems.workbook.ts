import { addSheet, streamingWorkbook, styleHeader } from '../excel/sheet-writer';
import type { ImportResult } from './dto/import.view';

/**
 * 校验结果: a dry run's errors then warnings, one row each with its sheet, row and column, for
 * staff to work through beside the plan table (报表与导入 → 下载错误清单).
 */
export async function writeProblemsWorkbook(file: string, result: ImportResult): Promise<void> {
  const wb = streamingWorkbook(file);
  wb.creator = '学校建设项目管理系统';
  const ws = addSheet(wb, '校验结果', [
    { header: '类别', key: 'kind', min: 6 },
    {
      header: '工作表',
      key: 'sheet',
      sample: [...new Set(result.errors.map((e) => e.sheet))],
      min: 12,
    },
    { header: '行', key: 'row', min: 6 },
    { header: '列', key: 'column', min: 6 },
    { header: '字段', key: 'field', min: 12 },
    { header: '问题说明', key: 'message', min: 60 },
  ]);
  styleHeader(ws.getRow(1));
  ws.getRow(1).commit();
  for (const p of [...result.errors, ...result.warnings])
    ws.addRow({
      kind: p.severity === 'error' ? '错误' : '警告',
      sheet: p.sheet,
      row: p.row || null,
      column: p.column || null,
      field: p.field,
      message: p.message,
    }).commit();
  const omitted = result.errorsOmitted + result.warningsOmitted;
  if (omitted) ws.addRow({ kind: '', message: `另有${omitted}条未列出` }).commit();
  if (!result.errors.length && !result.warnings.length)
    ws.addRow({ kind: '', message: '未发现问题，可以确认导入' }).commit();
  ws.commit();
  await wb.commit();
}
