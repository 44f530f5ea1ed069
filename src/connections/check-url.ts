/** `{cdr_id}` one path segment below the CDR endpoint, whether or not its URL ends in `/`; a query stays last. */
export function defaultCheckUrlTemplate(cdrsUrl: string): string {
  const queryStart = cdrsUrl.search(/[?#]/);
  const path = queryStart < 0 ? cdrsUrl : cdrsUrl.slice(0, queryStart);
  const rest = queryStart < 0 ? '' : cdrsUrl.slice(queryStart);
  return `${path}${path.endsWith('/') ? '' : '/'}{cdr_id}${rest}`;
}
