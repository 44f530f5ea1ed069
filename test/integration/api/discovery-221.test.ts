/**
 * An OCPI 2.2.1 client that knows only our versions URL finds 2.2.1 beside 2.1.1, then the
 * cdrs SENDER endpoint in the 2.2.1 details, then retrieves every 2.2.1 CDR exactly once
 * by following Link (version_information_endpoint.asciidoc of release-2.2.1-bugfixes).
 */
import { VERSIONS_PATH } from '../../../src/api/paths';
import { startTestApi, type OcpiVersion, type OcpiVersionDetails, type TestApi } from './api-harness';
import { get221, storeCdr221Series, walk221 } from './api-harness-221';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi({ defaultLimit: 20, maxLimit: 100 });
});
afterAll(async () => {
  await api.stop();
});

test('the versions endpoint lists 2.1.1 and 2.2.1, each with the URL of its details', async () => {
  const answer = await get221(`${api.url}${VERSIONS_PATH}`);
  expect(answer.status).toBe(200);
  expect(answer.body.data).toEqual([
    { version: '2.1.1', url: `${api.url}/ocpi/2.1.1` },
    { version: '2.2.1', url: `${api.url}/ocpi/2.2.1` },
  ]);
});

test('the 2.2.1 details list the cdrs module as SENDER, and nothing this CPO does not implement', async () => {
  const answer = await get221(`${api.url}/ocpi/2.2.1`);
  expect(answer.body).toMatchObject({ status_code: 1000 });
  expect(answer.body.data).toEqual({
    version: '2.2.1',
    endpoints: [{ identifier: 'cdrs', role: 'SENDER', url: `${api.url}/ocpi/cpo/2.2.1/cdrs` }],
  });
});

test('a 2.2.1 client retrieves every CDR exactly once from the versions URL alone', async () => {
  const stored = await storeCdr221Series(api.db.pool, 'DISC221', new Date('2024-04-01T00:00:00Z'), 43);

  const versions = (await get221(`${api.url}${VERSIONS_PATH}`)).body.data as OcpiVersion[];
  const v221 = versions.find((version) => version.version === '2.2.1');
  expect(v221).toBeDefined();
  const details = (await get221(v221!.url)).body.data as OcpiVersionDetails;
  const cdrsSender = details.endpoints.find((endpoint) => endpoint.identifier === 'cdrs' && endpoint.role === 'SENDER');
  expect(cdrsSender).toBeDefined();

  const { pages, ids } = await walk221(`${cdrsSender!.url}?limit=20`);
  expect(pages).toHaveLength(3);
  expect(ids).toEqual(stored.map((cdr) => cdr.id));
});
