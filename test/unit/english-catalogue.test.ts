import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(path.join(dir, e.name))
      : /\.tsx?$/.test(e.name)
        ? [path.join(dir, e.name)]
        : [],
  );
}

it('the English catalogues of the pages hold no Russian words (but the name of the language to switch to)', () => {
  const found: string[] = [];
  for (const file of sources('src/web')) {
    const text = readFileSync(file, 'utf8');
    const start = text.indexOf('addMessages({');
    if (start < 0) continue;
    const from = text.indexOf('\n  en: {', start);
    const english = text.slice(from, text.indexOf('\n  },', from));
    for (const line of english.split('\n'))
      if (/[А-Яа-яЁё]/.test(line) && !line.includes("'locale.toggle': 'Русский'"))
        found.push(`${file}: ${line.trim()}`);
  }
  assert.deepEqual(found, []);
});
