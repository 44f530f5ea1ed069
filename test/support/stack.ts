/**
 * The parts most test files stand up around what they test: their own migrated database
 * and a mock IOP on loopback (optionally with an IOP client pointed at it), set up before
 * the file's tests and torn down after them. A worker and the dev server come with
 * usePipeline (test/support/temporal.ts).
 */
import { startMockIop, type MockIop } from '../../src/dev/mock-iop';
import { createIopClient, type IopClient } from '../../src/iop/iop-client';
import { createTestDatabase, type TestDatabase } from './db';

export type MockIopOptions = NonNullable<Parameters<typeof startMockIop>[0]>;

export interface Stack {
  readonly db: TestDatabase;
  readonly mockIop: MockIop;
  /** A client to the mock IOP (with `iopClient` set): check URL one segment below its CDRs URL. */
  readonly iopClient: IopClient;
}

/** A value set up in beforeAll, read from a test or hook (a clear error if read too early). */
export function setUp<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`${name} is set up in beforeAll: use it inside a test or hook`);
  return value;
}

export function useStack(options: { mockIop?: MockIopOptions; iopClient?: { requestTimeoutMs: number } } = {}): Stack {
  const state: { db?: TestDatabase; mockIop?: MockIop; iopClient?: IopClient } = {};
  beforeAll(async () => {
    [state.db, state.mockIop] = await Promise.all([createTestDatabase(), startMockIop(options.mockIop)]);
    if (options.iopClient) {
      const mock = state.mockIop;
      state.iopClient = createIopClient({
        cdrsUrl: mock.cdrsUrl,
        token: mock.token,
        checkUrlTemplate: `${mock.cdrsUrl}/{cdr_id}`,
        requestTimeoutMs: options.iopClient.requestTimeoutMs,
      });
    }
  });
  afterAll(async () => {
    await state.iopClient?.close();
    await state.mockIop?.close();
    await state.db?.drop();
  });
  return {
    get db() {
      return setUp(state.db, 'db');
    },
    get mockIop() {
      return setUp(state.mockIop, 'mockIop');
    },
    get iopClient() {
      return setUp(state.iopClient, 'iopClient (useStack({ iopClient }))');
    },
  };
}
