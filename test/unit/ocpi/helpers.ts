/** Shared by the OCPI schema tests: the maximal fixture and ways to break one field of it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';

export type Json = Record<string, unknown>;
type PathKey = string | number;

/** A fresh copy each call, so a test can mutate it freely. */
export function loadMaximalCdr(): Json {
  return loadFixture('maximal-cdr.json');
}

/** The OCPI 2.2.1 CDR filling every field: a credit CDR, since only one may carry credit_reference_id. */
export function loadMaximalCdr221(): Json {
  return loadFixture('maximal-cdr-221.json');
}

function loadFixture(file: string): Json {
  const raw: unknown = JSON.parse(readFileSync(join(__dirname, 'fixtures', file), 'utf8'));
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('fixture must be an object');
  return raw as Json;
}

/** The value found at `path`, for tests that pick a nested part of the fixture. */
export function at(root: unknown, path: readonly PathKey[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<PathKey, unknown>)[key], root);
}

/** A deep copy of `root` with `value` at `path` (`undefined` deletes the key). */
export function withValue(root: Json, path: readonly PathKey[], value: unknown): Json {
  const copy = structuredClone(root);
  const parent = at(copy, path.slice(0, -1)) as Record<PathKey, unknown>;
  const last = path[path.length - 1];
  if (last === undefined) throw new Error('path must not be empty');
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return copy;
}

/** Issue paths as dotted strings ("location.evses.0.connectors.0.voltage"); [] when valid. */
export function issuePaths(schema: z.ZodType, input: unknown): string[] {
  const result = schema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
}

/** The messages of all issues, for asserting that an error names the broken rule. */
export function issueMessages(schema: z.ZodType, input: unknown): string[] {
  const result = schema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
}
