/** What an operator reads when Temporal refuses: the cause and what to do, keyed by a stable code. */
import { explainTemporalError, TemporalSetupError } from '../../../src/temporal/temporal-errors';

const target = { address: 'temporal.cpo.internal:7233', namespace: 'cdrs', tls: true };

/** Shaped as @temporalio/client throws them: a ServiceError around the gRPC status. */
function serviceError(code: number, details: string): Error {
  const cause = Object.assign(new Error(`${code} ${details}`), { code, details });
  return Object.assign(new Error('Failed to signalWithStart Workflow', { cause }), { name: 'ServiceError' });
}

test.each([
  [
    serviceError(3, 'Namespace cdrs has no mapping defined for search attribute CdrSessionId'),
    'TEMPORAL_SEARCH_ATTRIBUTE_MISSING',
    /no search attribute CdrSessionId \(Keyword\).*--name CdrSessionId --type Keyword/,
  ],
  [
    serviceError(5, 'Namespace cdrs is not found.'),
    'TEMPORAL_NAMESPACE_NOT_FOUND',
    /namespace cdrs does not exist.*temporal operator namespace create --namespace cdrs/,
  ],
  [
    Object.assign(new Error("Namespace not found: 'cdrs'"), { name: 'NamespaceNotFoundError' }),
    'TEMPORAL_NAMESPACE_NOT_FOUND',
    /namespace cdrs does not exist/,
  ],
  [serviceError(16, 'Request unauthorized.'), 'TEMPORAL_AUTH', /refused our credentials.*TEMPORAL_API_KEY/],
  [serviceError(7, 'Request unauthorized.'), 'TEMPORAL_AUTH', /TEMPORAL_TLS_CERT/],
  [
    serviceError(14, 'No connection established'),
    'TEMPORAL_UNAVAILABLE',
    /cannot reach Temporal at temporal\.cpo\.internal:7233.*TEMPORAL_ADDRESS/,
  ],
  [new Error('Failed to connect before the deadline'), 'TEMPORAL_UNAVAILABLE', /is the server running/],
])('%s -> %s', (error, code, message) => {
  const explained = explainTemporalError(error, target);
  expect(explained).toBeInstanceOf(TemporalSetupError);
  expect(explained).toMatchObject({ code });
  expect((explained as Error).message).toMatch(message);
  expect((explained as Error).message).not.toMatch(/Failed to signalWithStart Workflow/);
  expect((explained as Error).cause).toBe(error);
});

test('an error that did not come from Temporal is passed on unchanged', () => {
  const ours = new Error('CDR abc is queued: a CDR cannot be changed once queued or sent');
  expect(explainTemporalError(ours, target)).toBe(ours);
  const store = Object.assign(new Error('connection terminated'), { code: 'ECONNRESET' });
  expect(explainTemporalError(store, target)).toBe(store);
});
