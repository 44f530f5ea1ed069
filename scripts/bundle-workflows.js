// Prebuilds the workflow bundle the worker loads (`node scripts/bundle-workflows.js FROM OUT`),
// so a worker starts without running webpack. Plain JavaScript: it runs on compiled code.
const { writeFileSync } = require('node:fs');
const { resolve } = require('node:path');
const { bundleWorkflowCode, DefaultLogger } = require('@temporalio/worker');

async function main() {
  const [from, out] = process.argv.slice(2);
  if (!from || !out) throw new Error('usage: bundle-workflows.js WORKFLOWS_DIR OUT_FILE');
  const { code } = await bundleWorkflowCode({ workflowsPath: resolve(from), logger: new DefaultLogger('WARN') });
  writeFileSync(out, code);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
