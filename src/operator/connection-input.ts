/**
 * What an operator gives `cdrflow connection add|update`, checked before anything is
 * stored: each problem names its option and the rule. The token comes from a file (never
 * a command-line argument, which other users of the machine can read in the process list).
 */
import { readTokenFile } from './token-file';
import { z } from 'zod';
import { DEFAULT_RECEIVER } from '../receivers/receiver';
import { formatIssues } from '../cdr/input-problem';
import { type ConnectionSettings } from '../receivers/receiver';
import { checkUrlTemplateSchema, exposesTokenInClear, httpUrl, INSECURE_URL_RULE } from '../receivers/receiver-url-rules';
import { ocpiVersionSchema } from '../ocpi/versions';
import { toPartyOrNoneSchema } from '../receivers/to-party';

export const connectionNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'must be 1-32 lower-case letters, digits or dashes, like gireve or emsp-nl')
  .refine((name) => name !== DEFAULT_RECEIVER, `must not be "${DEFAULT_RECEIVER}" (the name of the IOP_* receiver)`);

export interface ConnectionOptions {
  version?: string;
  cdrsUrl?: string;
  tokenFile?: string;
  checkUrlTemplate?: string;
  toParty?: string;
}

const optionsSchema = z.strictObject({
  version: ocpiVersionSchema.optional(),
  cdrsUrl: httpUrl.optional(),
  tokenFile: z.string().min(1).optional(),
  checkUrlTemplate: checkUrlTemplateSchema.optional(),
  toParty: toPartyOrNoneSchema.optional(),
});

const OPTION_NAMES: Record<string, string> = {
  version: '--version',
  cdrsUrl: '--cdrs-url',
  tokenFile: '--token-file',
  checkUrlTemplate: '--check-url-template',
  toParty: '--to-party',
};

/** The settings given, checked; `required` lists the options `connection add` cannot do without. */
export function readConnectionOptions(
  options: ConnectionOptions,
  env: Record<string, string | undefined> = process.env,
  required: (keyof ConnectionOptions)[] = [],
): Partial<ConnectionSettings> {
  const given = Object.fromEntries(Object.entries(options).filter(([key, value]) => value !== undefined && key in OPTION_NAMES));
  const parsed = optionsSchema.safeParse(given);
  const problems = parsed.success
    ? []
    : formatIssues(parsed.error.issues).map((problem) => problem.replace(/^(\w+)/, (key) => OPTION_NAMES[key] ?? key));
  for (const key of required) if (options[key] === undefined) problems.push(`${OPTION_NAMES[key]}: is required`);
  // The token goes to these URLs: never in clear over the network (as for IOP_CDRS_URL).
  const insecureAllowed = env.IOP_ALLOW_INSECURE_HTTP === 'true';
  for (const key of ['cdrsUrl', 'checkUrlTemplate'] as const) {
    const value = parsed.success ? parsed.data[key] : undefined;
    if (value === undefined) continue;
    if (exposesTokenInClear(value, insecureAllowed)) problems.push(`${OPTION_NAMES[key]}: ${INSECURE_URL_RULE}`);
  }
  let token: string | undefined;
  if (options.tokenFile !== undefined) {
    const reading = readTokenFile(options.tokenFile);
    if ('problem' in reading) problems.push(reading.problem);
    else token = reading.token;
  }
  if (problems.length > 0 || !parsed.success) {
    throw new Error(`invalid connection:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
  }
  const data = parsed.data;
  return {
    ...(data.version ? { ocpiVersion: data.version } : {}),
    ...(data.cdrsUrl ? { cdrsUrl: data.cdrsUrl } : {}),
    ...(token ? { token } : {}),
    ...(data.checkUrlTemplate ? { checkUrlTemplate: data.checkUrlTemplate } : {}),
    ...(data.toParty !== undefined ? { toParty: data.toParty } : {}),
  };
}
