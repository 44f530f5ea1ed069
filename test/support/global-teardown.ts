import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  await globalThis.__cdrflowDevServer?.stop();
  const postgres = globalThis.__cdrflowPostgres;
  if (postgres) {
    await postgres.server.stop();
    rmSync(postgres.folder, { recursive: true, force: true });
  }
}
