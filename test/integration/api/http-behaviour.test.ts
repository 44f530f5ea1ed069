/**
 * HTTP around the endpoints: every answer is the OCPI envelope in JSON, whatever went
 * wrong; probes tell the supervisor whether the process and its database answer.
 */
import http from 'node:http';
import { startApiServer } from '../../../src/api/server';
import { CDRS_PATH, VERSIONS_PATH } from '../../../src/api/paths';
import { createTestDatabase } from '../../support/db';
import { createPool } from '../../../src/store/pool';
import { ocpiGet, PULL_TOKEN, startTestApi, storeCdr, type TestApi } from './api-harness';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
  await storeCdr(api.db.pool, 'HTTP-1', new Date('2024-01-10T00:00:00Z'));
});
afterAll(async () => {
  await api.stop();
});

const envelope = (status_code: number) => ({
  status_code,
  status_message: expect.any(String),
  timestamp: expect.stringMatching(/Z$/),
});

describe('probes', () => {
  test('/health answers 200 while the process runs', async () => {
    const answer = await ocpiGet(`${api.url}/health`, null);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status_code: 1000, data: { status: 'alive' } });
  });

  test('/ready answers 200 when the database answers', async () => {
    const answer = await ocpiGet(`${api.url}/ready`, null);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status_code: 1000, data: { status: 'ready' } });
  });

  test('/ready answers 503 with status 3000 when the database does not answer', async () => {
    const pool = createPool('postgres://postgres@127.0.0.1:5432/cdrflow_no_such_database');
    const down = await startApiServer({ pool, config: { ...api.config, port: 0 } });
    try {
      const answer = await ocpiGet(`${down.url}/ready`, null);
      expect(answer.status).toBe(503);
      expect(answer.body).toEqual(envelope(3000));
    } finally {
      await down.close();
      await pool.end();
    }
  });
});

describe('routes and methods', () => {
  test('an unknown route answers 404 with the envelope', async () => {
    const answer = await ocpiGet(`${api.url}/ocpi/cpo/2.1.1/locations`);
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual(envelope(2000));
  });

  test.each(['POST', 'PUT', 'PATCH', 'DELETE'])('%s on the cdrs endpoint answers 405 naming the allowed methods', async (method) => {
    const response = await fetch(`${api.url}${CDRS_PATH}`, {
      method,
      headers: { Authorization: `Token ${PULL_TOKEN}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(await response.json()).toEqual(envelope(2000));
  });

  test('HEAD answers the headers of GET without a body', async () => {
    const response = await fetch(`${api.url}${CDRS_PATH}`, { method: 'HEAD', headers: { Authorization: `Token ${PULL_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-total-count')).toBe('1');
    expect(await response.text()).toBe('');
  });

  test("a trailing slash reaches the same endpoint, as in OCPI's own examples", async () => {
    const answer = await ocpiGet(`${api.url}${CDRS_PATH}/?limit=5`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-total-count')).toBe('1');
  });

  test('a URL longer than 2048 characters answers 414 with the envelope', async () => {
    const answer = await ocpiGet(`${api.url}${CDRS_PATH}?date_from=${'9'.repeat(2100)}`);
    expect(answer.status).toBe(414);
    expect(answer.body).toEqual(envelope(2000));
  });

  test('answers are JSON and never cached', async () => {
    const answer = await ocpiGet(`${api.url}${VERSIONS_PATH}`);
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(answer.headers.get('cache-control')).toBe('no-store');
  });
});

describe('requests the server cannot use', () => {
  test('a body sent with GET is ignored', async () => {
    const body = JSON.stringify({ date_from: 'garbage', limit: 0 });
    const { status, json } = await new Promise<{ status: number; json: string }>((resolve, reject) => {
      const url = new URL(`${api.url}${CDRS_PATH}?limit=5`);
      const request = http.request(
        url,
        {
          method: 'GET',
          headers: { Authorization: `Token ${PULL_TOKEN}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
        },
        (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, json: text }));
        },
      );
      request.on('error', reject);
      request.end(body);
    });
    expect(status).toBe(200);
    expect(JSON.parse(json)).toMatchObject({ status_code: 1000, data: [expect.objectContaining({ id: 'HTTP-1' })] });
  });

  test('a request Node cannot parse is answered 400 with the envelope', async () => {
    const net = await import('node:net');
    const { port } = new URL(api.url);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => socket.write('GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toEqual(envelope(2000));
  });

  test('an unexpected failure answers 500 with status 3000 and no internal detail', async () => {
    // A database without the cdrs table: the pull query fails the way a real outage would.
    const empty = await createTestDatabase({ migrate: false });
    const logged: unknown[] = [];
    const broken = await startApiServer({
      pool: empty.pool,
      config: { ...api.config, port: 0 },
      logError: (error) => logged.push(error),
    });
    try {
      const answer = await ocpiGet(`${broken.url}${CDRS_PATH}`);
      expect(answer.status).toBe(500);
      expect(answer.body).toEqual({ status_code: 3000, status_message: 'internal server error', timestamp: expect.any(String) });
      expect(logged).toHaveLength(1);
    } finally {
      await broken.close();
      await empty.drop();
    }
  });
});
