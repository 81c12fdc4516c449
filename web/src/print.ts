/**
 * Printing a screen (Ctrl+P): Element Plus draws a table's header and body as two separate
 * <table>s, so on paper the header would not repeat on each page. Just before printing, each table
 * on the screen gets a plain copy — one <table> with <thead>, <tbody> and the 合计 as <tfoot> — that
 * only print shows (styles.css: `.print-copy`); the copies go once printing is done.
 */
/** A cell whose every word is on a button or link (审核, 催报, 下载 …): nothing to print. */
function onlyButtons(cell: Element): boolean {
  const c = cell.cloneNode(true) as Element;
  c.querySelectorAll('button, a, .el-button').forEach((e) => e.remove());
  return !c.textContent?.trim();
}

function copyOf(table: Element): HTMLTableElement | null {
  const head = table.querySelector('.el-table__header-wrapper thead');
  const body = table.querySelector('.el-table__body-wrapper tbody');
  if (!head || !body) return null;
  const out = document.createElement('table');
  out.className = 'print-table print-copy';
  out.append(head.cloneNode(true), body.cloneNode(true));
  const foot = table.querySelector('.el-table__footer-wrapper tbody');
  if (foot) {
    const tfoot = document.createElement('tfoot');
    tfoot.append(...Array.from(foot.children, (r) => r.cloneNode(true)));
    out.append(tfoot);
  }
  // the expand toggles and the 操作 column of buttons are for the screen; a column named 操作 that
  // says something (报送记录's 报送 / 退回 …) stays
  // a column marked for the screen (`class-name="no-print"`: its header and cells) is not copied
  out
    .querySelectorAll('.el-table__expand-column, .el-table__expand-icon, th.no-print, td.no-print')
    .forEach((e) => e.remove());
  const heads = [...out.querySelectorAll('thead tr:last-child th')];
  const ops = heads.findIndex((th) => th.textContent?.trim() === '操作');
  const rows = [...out.querySelectorAll('tbody tr')].filter(
    (r) => r.children.length === heads.length,
  );
  if (ops >= 0 && heads.length > 1 && rows.every((r) => onlyButtons(r.children[ops])))
    for (const row of out.querySelectorAll('tr'))
      if (row.children.length === heads.length) row.children[ops].remove();
  return out;
}

export function preparePrint(): void {
  removePrintCopies();
  // a table that has its own print version (项目台账) is left to it
  for (const table of document.querySelectorAll('.el-table:not(.screen-only)')) {
    const copy = copyOf(table);
    if (!copy) continue;
    table.before(copy);
    table.classList.add('has-print-copy');
  }
}

export function removePrintCopies(): void {
  document.querySelectorAll('.print-copy').forEach((e) => e.remove());
  document.querySelectorAll('.has-print-copy').forEach((e) => e.classList.remove('has-print-copy'));
}

export function installPrint(): void {
  window.addEventListener('beforeprint', preparePrint);
  window.addEventListener('afterprint', removePrintCopies);
}
