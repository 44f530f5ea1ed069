/**
 * An OCPI client that knows only the standard and our versions URL finds the 2.1.1
 * details, then the cdrs endpoint, then retrieves every CDR exactly once by following Link.
 */
import { VERSIONS_PATH } from '../../../src/api/paths';
import { ocpiGet, startTestApi, storeCdrSeries, walkPages, type TestApi } from './api-harness';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi({ defaultLimit: 20, maxLimit: 100 });
});
afterAll(async () => {
  await api.stop();
});

interface Version {
  version: string;
  url: string;
}
interface VersionDetails {
  version: string;
  endpoints: { identifier: string; url: string }[];
}

test('the versions endpoint lists 2.1.1 with the URL of its details', async () => {
  const answer = await ocpiGet(`${api.url}${VERSIONS_PATH}`);
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject({ status_code: 1000 });
  // Beside 2.2.1 (discovery-221.test.ts).
  expect(answer.body.data).toContainEqual({ version: '2.1.1', url: `${api.url}/ocpi/2.1.1` });
});

test('the 2.1.1 details list the cdrs module and nothing this CPO does not implement', async () => {
  const answer = await ocpiGet(`${api.url}/ocpi/2.1.1`);
  expect(answer.body.data).toEqual({
    version: '2.1.1',
    endpoints: [{ identifier: 'cdrs', url: `${api.url}/ocpi/cpo/2.1.1/cdrs` }],
  });
});

test('a standard OCPI client retrieves every CDR exactly once from the versions URL alone', async () => {
  const stored = await storeCdrSeries(api.db.pool, 'DISC', new Date('2024-04-01T00:00:00Z'), 47);

  const versions = (await ocpiGet(`${api.url}${VERSIONS_PATH}`)).body.data as Version[];
  const v211 = versions.find((version) => version.version === '2.1.1');
  expect(v211).toBeDefined();
  const details = (await ocpiGet(v211!.url)).body.data as VersionDetails;
  const cdrsEndpoint = details.endpoints.find((endpoint) => endpoint.identifier === 'cdrs');
  expect(cdrsEndpoint).toBeDefined();

  // GIREVE's way: 20 per page from the endpoint URL as given, then Link after Link.
  const { pages, ids } = await walkPages(`${cdrsEndpoint!.url}?limit=20`);
  expect(pages).toHaveLength(3);
  expect(ids).toEqual(stored.map((cdr) => cdr.id));
});
