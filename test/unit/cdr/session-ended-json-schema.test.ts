/** The JSON Schema published for backends in other languages says what the edge enforces. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sessionEndedJsonSchema } from '../../../src/cli/json-schema-command';

const PUBLISHED = join(__dirname, '..', '..', '..', 'docs', 'session-ended.schema.json');

/** Every sub-schema that describes a JSON object, with its JSON pointer. */
function objectSchemas(node: unknown, pointer = ''): Array<[string, Record<string, unknown>]> {
  if (typeof node !== 'object' || node === null) return [];
  const children = Object.entries(node).flatMap(([key, value]) => objectSchemas(value, `${pointer}/${key}`));
  const schema = node as Record<string, unknown>;
  return schema.type === 'object' ? [[pointer || '/', schema], ...children] : children;
}

it('refuses unknown keys in every object (additionalProperties: false)', () => {
  const objects = objectSchemas(sessionEndedJsonSchema());
  expect(objects.length).toBeGreaterThan(20);
  expect(objects.filter(([, schema]) => schema.additionalProperties !== false).map(([pointer]) => pointer)).toEqual([]);
});

it('is published in docs/ as generated (npm run json-schema)', () => {
  expect(JSON.parse(readFileSync(PUBLISHED, 'utf8'))).toEqual(sessionEndedJsonSchema());
});
