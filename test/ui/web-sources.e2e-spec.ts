import * as fs from 'node:fs';
import * as path from 'node:path';

const VIEWS = path.resolve(__dirname, '../../web/src');

/** Every .vue file of the front end, with its text. */
function sources(dir = VIEWS): { file: string; text: string }[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.vue')
      ? [{ file: path.relative(VIEWS, p), text: fs.readFileSync(p, 'utf8') }]
      : [];
  });
}
const pascal = (tag: string) =>
  tag
    .split('-')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');

/**
 * Element Plus is imported where it is used, so the sign-in page loads only its own components
 * (web/src/main.ts). A component or v-loading used without its import is no error anywhere: the
 * tag is left in the page as an unknown element. This check names each one.
 */
describe('web front end sources', () => {
  it('import each Element Plus component and directive they use', () => {
    const missing: string[] = [];
    let used = 0;
    for (const { file, text } of sources()) {
      const template = text.slice(text.indexOf('<template>'));
      const imported = new Set(
        [...text.matchAll(/import \{([^}]*)\} from 'element-plus';/g)].flatMap((m) =>
          m[1].split(',').map((n) => n.trim()),
        ),
      );
      const needed = new Set([...template.matchAll(/<(el-[a-z-]+)/g)].map((m) => pascal(m[1])));
      if (/\sv-loading\b/.test(template)) needed.add('vLoading');
      for (const name of needed) {
        used++;
        if (!imported.has(name)) missing.push(`${file}: ${name}`);
      }
    }
    expect(used).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });

  it('install no Element Plus globally', () => {
    const main = fs.readFileSync(path.join(VIEWS, 'main.ts'), 'utf8');
    expect(main).not.toMatch(/import ElementPlus\b|\.use\(ElementPlus/);
  });
});
