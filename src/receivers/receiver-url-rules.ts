/**
 * Where a receiver's token may go: an http(s) URL, and https unless the host is loopback (or
 * plain http is explicitly allowed). One rule for IOP_CDRS_URL and for each connection's URLs.
 */
import { z } from 'zod';

export const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  // A user name or password in a URL ends up in logs and listings: tokens go in their own settings.
  .refine((url) => {
    // Not a URL at all: the url check above says so.
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    return parsed === undefined || (parsed.username === '' && parsed.password === '');
  }, 'must not carry a user name or password (give the token with --token-file or IOP_TOKEN)');

/** Where one CDR is looked up: `{cdr_id}` is replaced. */
export const checkUrlTemplateSchema = z
  .string()
  .includes('{cdr_id}', { error: 'must contain {cdr_id}' })
  .refine((template) => httpUrl.safeParse(template.replace('{cdr_id}', 'x')).success, 'must be an http(s) URL');

/** Loopback as a URL's hostname or a listen address writes it: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

/** A token sent to `url` (a check URL template's `{cdr_id}` allowed) would cross the network in clear. */
export function exposesTokenInClear(url: string, insecureAllowed: boolean): boolean {
  const parsed = new URL(url.replace('{cdr_id}', 'x'));
  return parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname) && !insecureAllowed;
}

export const INSECURE_URL_RULE = 'must use https (plain http only for loopback, or set IOP_ALLOW_INSECURE_HTTP=true)';
