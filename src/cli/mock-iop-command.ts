import { startMockIop } from '../dev/mock-iop';
import { onShutdownSignal } from './process-lifecycle';

/** `cdrflow mock-iop`: a stand-in IOP CDR receiver on loopback, for trying cdrflow without GIREVE. */
export async function runMockIopCommand(options: { port: string; token: string }): Promise<void> {
  const mock = await startMockIop({ port: Number(options.port), token: options.token });
  onShutdownSignal(() => mock.close());
  process.stdout.write(
    `mock IOP listening: IOP_CDRS_URL=${mock.cdrsUrl} (token from --token)\n` +
      `steer it: curl -X POST ${mock.baseUrl}/_mock/control -d '{"behaviour":"http500"}'\n`,
  );
}
