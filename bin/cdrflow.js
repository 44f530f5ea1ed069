#!/usr/bin/env node
// cdrflow's command line. TypeScript runs through tsx, so `npx cdrflow` works right after `npm ci`.
require('tsx/cjs');
require('../src/cli/main.ts')
  .main(process.argv)
  .catch((error) => {
    process.stderr.write(`cdrflow: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error && typeof error.exitCode === 'number' ? error.exitCode : 1);
  });
