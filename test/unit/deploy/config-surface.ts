/**
 * The environment variables each cdrflow process reads, found by running its config
 * sections on a recording environment (so the list can never drift from src/config/).
 */
import * as config from '../../../src/config/index';

type Section = (env: Record<string, string | undefined>) => unknown;

export interface VariableUse {
  name: string;
  /** The section refuses to start without it. */
  required: boolean;
}

function variablesOf(section: Section): VariableUse[] {
  const read = new Set<string>();
  const recording = new Proxy<Record<string, string | undefined>>(
    {},
    { get: (_target, key) => (typeof key === 'string' && /^[A-Z][A-Z0-9_]+$/.test(key) ? (read.add(key), undefined) : undefined) },
  );
  let missingMessage = '';
  try {
    section(recording);
  } catch (error) {
    missingMessage = (error as Error).message;
  }
  return [...read].map((name) => ({ name, required: missingMessage.includes(`${name}: is required`) }));
}

const sectionsOf = (names: string[]): Section[] =>
  names
    .map((name) => (config as unknown as Record<string, Section>)[name])
    .filter((section): section is Section => typeof section === 'function');

/** Sections read by `cdrflow worker` and `cdrflow api` (observability ones when they exist). */
export const WORKER_SECTIONS = sectionsOf([
  'databaseConfig',
  'temporalConfig',
  'iopConfig',
  'cdrConfig',
  'observabilityConfig',
  'workerMetricsConfig',
]);
export const API_SECTIONS = sectionsOf(['databaseConfig', 'apiConfig', 'observabilityConfig', 'apiMetricsConfig']);

export function variablesRead(sections: Section[]): VariableUse[] {
  const byName = new Map<string, VariableUse>();
  for (const use of sections.flatMap(variablesOf)) {
    const known = byName.get(use.name);
    byName.set(use.name, { name: use.name, required: (known?.required ?? false) || use.required });
  }
  return [...byName.values()];
}

export function allConfigSections(): Section[] {
  return Object.entries(config)
    .filter(([name, value]) => name.endsWith('Config') && typeof value === 'function')
    .map(([, value]) => value as Section);
}
