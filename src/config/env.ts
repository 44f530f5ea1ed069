/** Reading configuration sections from environment variables: the shared rules of the sections in src/config/. */
import { z } from 'zod';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export type Env = Record<string, string | undefined>;

/** Parses one section; the message lists every bad variable with its rule (never its value). */
export function parseSection<T extends z.ZodRawShape>(shape: T, env: Env): z.infer<z.ZodObject<T>> {
  const picked: Record<string, string | undefined> = {};
  for (const key of Object.keys(shape)) picked[key] = env[key] === '' ? undefined : env[key];
  const result = z.object(shape).safeParse(picked);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? '?');
    const rule = picked[variable] === undefined ? 'is required' : issue.message;
    return `  ${variable}: ${rule}`;
  });
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
}

export const integerFromEnv = (min: number, max: number) =>
  z.coerce.number().int('must be an integer').min(min, `must be >= ${min}`).max(max, `must be <= ${max}`);

export const booleanFromEnv = z.enum(['true', 'false'], { error: 'must be true or false' });
