/**
 * The folder holding cdrflow's package.json, whether this code runs from TypeScript
 * (src/...) or compiled (dist/src/...), in a checkout or installed under node_modules.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function packageRoot(from: string = __dirname): string {
  let folder = from;
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`no package.json above ${from}`);
    folder = parent;
  }
  return folder;
}
