// SPDX-License-Identifier: Apache-2.0
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * A temporary folder for the enclosing describe block's files: made before
 * its first test, removed with its contents after the last. Returns the
 * folder's path joined with `name` (the folder itself without one).
 */
export function scratchDir(prefix: string): (name?: string) => string {
  let dir: string|undefined;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterAll(() => {
    fs.rmSync(dir!, {recursive: true, force: true});
  });
  return (name = '') => path.join(dir!, name);
}
