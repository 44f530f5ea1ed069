/**
 * What a receiver answers to a GET of one CDR, as `data` of its OCPI envelope: the CDR
 * object, as OCPI 2.1.1 says, or a list holding exactly that CDR, as some receivers built
 * on third-party OCPI libraries answer (the same code serves their list and by-id routes).
 */
export function checkedCdrOf(data: unknown): Record<string, unknown> | undefined {
  const held = Array.isArray(data) && data.length === 1 ? data[0] : data;
  return typeof held === 'object' && held !== null && !Array.isArray(held) ? (held as Record<string, unknown>) : undefined;
}
