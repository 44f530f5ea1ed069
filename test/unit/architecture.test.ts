/**
 * The direction of imports that keeps the architecture readable (STYLE.md): workflows stay
 * deterministic, the pure CDR code does no I/O, the GIREVE-facing API knows nothing of the
 * workflows or the IOP client.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..');

function sourceFiles(folder: string): string[] {
  return readdirSync(join(root, folder)).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

interface ImportLine {
  file: string;
  typeOnly: boolean;
  from: string;
}

function importsOf(folder: string): ImportLine[] {
  return sourceFiles(folder).flatMap((file) => {
    const text = readFileSync(join(root, file), 'utf8');
    return [...text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)].map((match) => ({
      file: relative(root, join(root, file)),
      typeOnly: Boolean(match[1]),
      from: match[2]!,
    }));
  });
}

test('workflow code imports only the Temporal workflow API, its own folder, and types', () => {
  const imports = importsOf('workflows');
  expect(imports.length).toBeGreaterThan(15); // the scan sees multi-line imports too
  const offending = imports.filter(
    (line) => !line.typeOnly && !line.from.startsWith('./') && line.from !== '@temporalio/workflow' && line.from !== '@temporalio/common',
  );
  expect(offending).toEqual([]);
});

test('the OCPI schemas and the CDR logic do no I/O', () => {
  const io = /^(node:|pg$|undici$|@temporalio\/(client|worker|activity)$|@electric-sql)/;
  const offending = [...importsOf('src/ocpi'), ...importsOf('src/cdr')].filter(
    (line) => io.test(line.from) && !(line.from === 'node:crypto' && line.file.endsWith('cdr-id.ts')),
  );
  expect(offending).toEqual([]);
});

test('the GIREVE-facing API does not import the workflows or the IOP client', () => {
  const offending = importsOf('src/api').filter((line) => /\/workflows\b|\/iop\//.test(line.from));
  expect(offending).toEqual([]);
});
