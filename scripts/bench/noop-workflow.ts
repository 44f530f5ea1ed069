/** Baseline for the pipeline benchmark: the smallest useful workflow, one no-op activity. */
import { proxyActivities } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '10 seconds' });

export async function benchNoopWorkflow(): Promise<void> {
  await noop();
}
