/**
 * Lint step: the repository is self-contained. No comment, test or document cites a document it
 * does not hold — the rules live in docs/ (`bash scripts/cite-docs.sh` rewrites old citations).
 * Fails listing every `file:line` that still does.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');
const SCANNED = ['src', 'test', 'web', 'scripts', 'README.md', 'CONTRIBUTING.md'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'public', 'readme']);
/** This check and the rewrite script name the patterns themselves. */
const SKIPPED_FILES = new Set(['scripts/check-citations.ts', 'scripts/cite-docs.sh']);
const TEXT = /\.(ts|mts|js|mjs|vue|md|sh|json|html|css)$/;
const PATTERNS: [RegExp, string][] = [
  [/\.\.\/shared/, 'a path outside the repository'],
  [/SPEC §/, 'the outside specification (docs/ holds its rules)'],
  [/CONVENTIONS/, 'the outside conventions (docs/conventions.md)'],
  [/STACK\.md|STACK pitfall/, 'the outside stack notes (docs/stack.md)'],
];

function* files(rel: string): Generator<string> {
  const abs = path.join(ROOT, rel);
  if (!fs.existsSync(abs)) return;
  if (fs.statSync(abs).isFile()) {
    yield rel;
    return;
  }
  for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
    if (e.isDirectory() && !SKIPPED_DIRS.has(e.name)) yield* files(path.join(rel, e.name));
    else if (e.isFile() && TEXT.test(e.name)) yield path.join(rel, e.name);
  }
}

const found: string[] = [];
for (const top of SCANNED)
  for (const rel of files(top)) {
    if (SKIPPED_FILES.has(rel.split(path.sep).join('/'))) continue;
    fs.readFileSync(path.join(ROOT, rel), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        for (const [re, what] of PATTERNS)
          if (re.test(line)) found.push(`${rel}:${i + 1}: cites ${what}: ${line.trim()}`);
      });
  }
if (found.length) {
  console.error(found.join('\n'));
  console.error(
    `\n${found.length} citation(s) of documents outside the repository; run bash scripts/cite-docs.sh`,
  );
  process.exit(1);
}
console.log('citations: every one points inside the repository');
