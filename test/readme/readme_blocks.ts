// SPDX-License-Identifier: Apache-2.0
/**
 * The code blocks of README.md, as the README test runs them. A block's first
 * line says where it runs: `// Node` or `// Browser` (a page with tfjs's
 * webgl backend); any other first line is an error, so no block goes
 * untested. Each `console.log(...)` line may state what it prints in a
 * trailing `// → ...` comment; the test compares the numbers in it.
 */
import * as fs from 'fs';
import * as path from 'path';

export const README_PATH = path.join(__dirname, '..', '..', 'README.md');

export interface ReadmeBlock {
  /** 1-based line of the opening fence. */
  line: number;
  where: 'node'|'browser';
  code: string;
  /** What the block's console.log lines print, in order. */
  expected: string[];
}

const FENCE = /^```(ts|js|typescript|javascript)\s*$/;

export function readmeBlocks(text = fs.readFileSync(README_PATH, 'utf8')): ReadmeBlock[] {
  const lines = text.split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!FENCE.test(lines[i])) {
      continue;
    }
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i].startsWith('```'); i++) {
      body.push(lines[i]);
    }
    const first = body[0] ?? '';
    const where = /^\/\/ Node\b/.test(first) ? 'node' : /^\/\/ Browser\b/.test(first) ? 'browser' : null;
    if (where == null) {
      throw new Error(`README.md:${start + 1}: a code block must start with '// Node' or ` +
                      `'// Browser' (where it runs), but starts with '${first}'`);
    }
    const expected = body.filter(l => l.includes('console.log(') && l.includes('// → '))
                         .map(l => l.slice(l.indexOf('// → ') + '// → '.length).trim());
    blocks.push({line: start + 1, where, code: body.join('\n'), expected});
  }
  return blocks;
}

const NUMBER = /-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|NaN|-?Infinity/gi;

/** The numbers of a printed line, in order. */
export function numbersIn(line: string): number[] {
  return (line.match(NUMBER) ?? []).map(Number);
}

/**
 * Half a unit in the last digit a stated number gives (2.39866: 5e-6; 0.06:
 * 5e-3), and at least float32's rounding of the value.
 */
function statedTolerance(token: string, value: number): number {
  const mantissa = token.toLowerCase().split('e')[0].replace('-', '');
  const decimals = mantissa.includes('.') ? mantissa.split('.')[1].length : 0;
  const exponent = token.toLowerCase().includes('e') ? Number(token.toLowerCase().split('e')[1]) : 0;
  return Math.max(0.5 * 10 ** (exponent - decimals), 1e-7 * Math.abs(value));
}

/**
 * Whether a printed line says what the README's comment says: the same words
 * and the same numbers, to the digits the comment gives.
 */
export function printedAsStated(printed: string, stated: string): boolean {
  const words = (s: string) => s.replace(NUMBER, '#').replace(/[\s,[\]{}()'"]+/g, ' ').trim();
  const a = numbersIn(printed);
  const tokens = stated.match(NUMBER) ?? [];
  const e = tokens.map(Number);
  return words(printed) === words(stated) && a.length === e.length &&
      a.every((v, k) => Object.is(v, e[k]) || Math.abs(v - e[k]) <= statedTolerance(tokens[k], e[k]));
}
