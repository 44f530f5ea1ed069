/**
 * The direction of imports that keeps the architecture readable (docs/architecture.md,
 * "Folders"): each layer imports only the layers below it, the import graph has no circle,
 * workflows stay deterministic, the pure CDR code does no I/O, and no file grows past what
 * one sitting can read.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = join(__dirname, '..', '..');

/**
 * Bottom to top: a file may import its own folder and any folder of a lower layer.
 * workflows/definitions.ts, ids.ts and search-attributes.ts are the contract: leaves every layer may import.
 */
const LAYERS: [prefix: string, layer: number][] = [
  ['src/ocpi/', 0],
  ['src/package-root.ts', 0],
  ['workflows/definitions.ts', 0.5],
  ['workflows/ids.ts', 0.5],
  ['workflows/search-attributes.ts', 0.5],
  ['src/receivers/', 1],
  ['src/config/', 2],
  ['src/cdr/', 2],
  ['src/store/', 3],
  ['src/iop/', 3],
  ['src/delivery/', 4],
  ['src/observability/', 4],
  ['workflows/', 4.5],
  ['src/temporal/', 4.6],
  ['activities/', 5],
  ['src/client/', 5],
  ['src/worker/', 6],
  ['src/api/', 6],
  ['src/intake/', 6],
  ['src/operator/', 6],
  ['src/dev/', 6],
  ['src/cli/', 7],
  ['src/platform-api.ts', 7],
  ['src/index.ts', 8],
];

/** The imports that run back up a layer, each explained in docs/architecture.md. */
const UPWARD_IMPORTS = [
  // The workflows type their activity proxies with the factory's type (Temporal's samples do the same).
  'workflows/cdr-session.ts -> activities/index.ts',
  'workflows/cpo-queue/activities.ts -> activities/index.ts',
];

interface Import {
  file: string;
  /** The module as written. */
  from: string;
  /** The file it resolves to (relative imports only). */
  to?: string;
  typeOnly: boolean;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(join(root, folder)).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function resolveImport(file: string, from: string): string | undefined {
  const base = resolve(root, dirname(file), from);
  const found = [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
  return found && relative(root, found);
}

function isTypeOnly(statement: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(statement)) return statement.isTypeOnly;
  const clause = statement.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  const named = clause.namedBindings;
  return (
    !clause.name &&
    named !== undefined &&
    ts.isNamedImports(named) &&
    named.elements.length > 0 &&
    named.elements.every((one) => one.isTypeOnly)
  );
}

function importsOf(file: string): Import[] {
  const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest);
  return source.statements.flatMap((statement) => {
    if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) return [];
    const specifier = statement.moduleSpecifier;
    if (!specifier || !ts.isStringLiteral(specifier)) return [];
    const from = specifier.text;
    const to = from.startsWith('.') ? resolveImport(file, from) : undefined;
    return [{ file, from, typeOnly: isTypeOnly(statement), ...(to ? { to } : {}) }];
  });
}

const files = ['src', 'workflows', 'activities'].flatMap(sourceFiles);
const imports = files.flatMap(importsOf);
const internal = imports.filter((line): line is Import & { to: string } => line.to !== undefined);

function layerOf(file: string): { folder: string; layer: number } {
  const found = LAYERS.find(([prefix]) => file.startsWith(prefix));
  if (!found) throw new Error(`${file} is in no layer: add its folder to LAYERS (and to docs/architecture.md)`);
  return { folder: found[0], layer: found[1] };
}

test('the scan sees every relative import, multi-line ones too', () => {
  expect(files.length).toBeGreaterThan(150);
  expect(internal.length).toBeGreaterThan(500);
  expect(internal.every((line) => files.includes(line.to))).toBe(true);
  expect(imports.filter((line) => line.from.startsWith('.') && line.to === undefined)).toEqual([]);
});

test('each layer imports only the layers below it, but for the few named upward imports', () => {
  const upward = internal
    .filter((line) => {
      const from = layerOf(line.file);
      const to = layerOf(line.to);
      return from.folder !== to.folder && to.layer >= from.layer;
    })
    .map((line) => `${line.file} -> ${line.to}`);
  expect([...new Set(upward)].sort()).toEqual([...UPWARD_IMPORTS].sort());
  expect(UPWARD_IMPORTS.length).toBeLessThanOrEqual(3);
});

test('the upward imports are types only: nothing of the activities runs in the workflow bundle', () => {
  const upward = internal.filter((line) => UPWARD_IMPORTS.includes(`${line.file} -> ${line.to}`));
  expect(upward.length).toBeGreaterThan(0);
  expect(upward.filter((line) => !line.typeOnly)).toEqual([]);
});

test('the import graph has no circle (type imports included)', () => {
  const next = new Map<string, string[]>();
  for (const line of internal) next.set(line.file, [...(next.get(line.file) ?? []), line.to]);
  const done = new Set<string>();
  const circles: string[] = [];
  const visit = (file: string, path: string[]): void => {
    const at = path.indexOf(file);
    if (at >= 0) return void circles.push([...path.slice(at), file].join(' -> '));
    if (done.has(file)) return;
    for (const to of next.get(file) ?? []) visit(to, [...path, file]);
    done.add(file);
  };
  for (const file of files) visit(file, []);
  expect(circles).toEqual([]);
});

test('workflow code takes values only from its own folder and the Temporal workflow API', () => {
  const workflowImports = imports.filter((line) => line.file.startsWith('workflows/'));
  const offending = workflowImports.filter(
    (line) =>
      !line.typeOnly &&
      !(line.to?.startsWith('workflows/') ?? false) &&
      line.from !== '@temporalio/workflow' &&
      line.from !== '@temporalio/common',
  );
  expect(offending).toEqual([]);
});

test('the OCPI schemas and the CDR logic do no I/O', () => {
  const io = /^(node:|pg$|undici$|@temporalio\/(client|worker|activity)$)/;
  const offending = imports.filter(
    (line) =>
      (line.file.startsWith('src/ocpi/') || line.file.startsWith('src/cdr/')) &&
      io.test(line.from) &&
      !(line.from === 'node:crypto' && line.file.endsWith('cdr-id.ts')),
  );
  expect(offending).toEqual([]);
});

test('the GIREVE-facing API does not import the workflows or the IOP client', () => {
  const offending = internal.filter((line) => line.file.startsWith('src/api/') && /^(workflows|src\/iop)\//.test(line.to));
  expect(offending).toEqual([]);
});

test('no source file passes 300 lines, and the queue workflow entry stays under 150', () => {
  const lines = (file: string) => readFileSync(join(root, file), 'utf8').split('\n').length;
  expect(files.filter((file) => lines(file) > 300)).toEqual([]);
  expect(lines('workflows/cpo-queue.ts')).toBeLessThan(150);
});
