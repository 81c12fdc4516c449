/**
 * Lint step: no import cycles between the folders of src/ (docs/conventions.md: modules mirror folders).
 * A file in src/a/ importing src/b/… is an edge a → b; any cycle among those edges fails, printed
 * with one import that makes each edge. Files at the top of src/ (main, app.module) are the root
 * and may import anything.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const SRC = resolve(__dirname, '..', '..', 'src').replace(`${sep}dist${sep}`, sep);
const root = statSync(SRC, { throwIfNoEntry: false }) ? SRC : resolve(process.cwd(), 'src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const folderOf = (file: string): string | null => {
  const parts = relative(root, file).split(sep);
  return parts.length > 1 ? parts[0] : null;
};

/** folder → folder it imports → one example "file: import" */
const edges = new Map<string, Map<string, string>>();
for (const file of files(root)) {
  if (file.endsWith('.spec.ts')) continue;
  const from = folderOf(file);
  if (!from) continue;
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'(\.[^']+)'/g)) {
    const to = folderOf(resolve(dirname(file), m[1]));
    if (!to || to === from) continue;
    const out = edges.get(from) ?? new Map<string, string>();
    if (!out.has(to)) out.set(to, `${relative(root, file)} → ${m[1]}`);
    edges.set(from, out);
  }
}

// Tarjan's strongly connected components: every component of more than one folder is a cycle
let index = 0;
const idx = new Map<string, number>();
const low = new Map<string, number>();
const stack: string[] = [];
const onStack = new Set<string>();
const cycles: string[][] = [];
const nodes = [
  ...new Set([...edges.keys(), ...[...edges.values()].flatMap((m) => [...m.keys()])]),
].sort();
function visit(v: string): void {
  idx.set(v, index);
  low.set(v, index++);
  stack.push(v);
  onStack.add(v);
  for (const w of edges.get(v)?.keys() ?? []) {
    if (!idx.has(w)) {
      visit(w);
      low.set(v, Math.min(low.get(v)!, low.get(w)!));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
  }
  if (low.get(v) === idx.get(v)) {
    const c: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      c.push(w);
    } while (w !== v);
    if (c.length > 1) cycles.push(c.sort());
  }
}
for (const n of nodes) if (!idx.has(n)) visit(n);

if (cycles.length) {
  for (const c of cycles) {
    console.error(`import cycle between folders: ${c.join(', ')}`);
    for (const a of c)
      for (const [b, why] of edges.get(a) ?? [])
        if (c.includes(b)) console.error(`  ${a} → ${b}: ${why}`);
  }
  process.exit(1);
}
console.log(`folder imports: ${nodes.length} folders, no cycles`);
