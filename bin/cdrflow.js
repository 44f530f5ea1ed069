#!/usr/bin/env node
// cdrflow's command line: the compiled code in dist/ (`npm run build`; `npm ci` builds it
// through `prepare`, and the packed package ships it). No TypeScript compiler at run time.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const entry = join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('cdrflow: not built yet (no dist/): run `npm run build` (or scripts/setup)\n');
  process.exit(1);
}
require(entry)
  .main(process.argv)
  .catch((error) => {
    process.stderr.write(`cdrflow: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error && typeof error.exitCode === 'number' ? error.exitCode : 1);
  });
