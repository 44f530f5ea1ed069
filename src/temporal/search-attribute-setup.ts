/**
 * cdrflow's workflows set custom search attributes (CdrOperatorId, ...); a namespace
 * without them refuses every hand-in. The worker makes sure they exist at start (an
 * idempotent add through the operator service), and `cdrflow temporal-setup` does the
 * same for a deploy step. Where the server does not let us add them (Temporal Cloud, a
 * cluster with authorization), the error names each missing attribute, its type and the
 * command that creates it.
 */
import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { searchAttributeRegistrations } from '../../workflows/search-attributes';
import { explainTemporalError, searchAttributeCommands, TemporalSetupError, type TemporalTarget } from './temporal-errors';

const { IndexedValueType } = temporal.api.enums.v1;
const INDEXED_TYPES = { Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD, Int: IndexedValueType.INDEXED_VALUE_TYPE_INT };

export interface SearchAttributeSetup {
  /** Added by this call. */
  added: string[];
  /** Found already there. */
  present: string[];
}

/** The names among cdrflow's attributes that the namespace does not know. */
async function missingAttributes(connection: Connection, target: TemporalTarget): Promise<string[]> {
  const wanted = Object.keys(searchAttributeRegistrations);
  try {
    const listed = await connection.operatorService.listSearchAttributes({ namespace: target.namespace });
    return wanted.filter((name) => !(name in (listed.customAttributes ?? {})));
  } catch {
    // No operator service for us (Temporal Cloud with an API key, a cluster with
    // authorization): a visibility query names an unknown attribute just as well.
  }
  const missing: string[] = [];
  for (const name of wanted) {
    try {
      await connection.workflowService.countWorkflowExecutions({ namespace: target.namespace, query: `${name} IS NOT NULL` });
    } catch (error) {
      const explained = explainTemporalError(error, target);
      if (explained instanceof TemporalSetupError && explained.code === 'TEMPORAL_SEARCH_ATTRIBUTE_MISSING') missing.push(name);
      else throw explained;
    }
  }
  return missing;
}

export async function ensureSearchAttributes(connection: Connection, target: TemporalTarget): Promise<SearchAttributeSetup> {
  const missing = await missingAttributes(connection, target);
  const present = Object.keys(searchAttributeRegistrations).filter((name) => !missing.includes(name));
  if (missing.length === 0) return { added: [], present };
  try {
    await connection.operatorService.addSearchAttributes({
      namespace: target.namespace,
      searchAttributes: Object.fromEntries(missing.map((name) => [name, INDEXED_TYPES[searchAttributeRegistrations[name]!]])),
    });
  } catch (error) {
    const commands = missing.map(
      (name) =>
        `  ${name} (${searchAttributeRegistrations[name]}): ${searchAttributeCommands(target.namespace, name, searchAttributeRegistrations[name]!)}`,
    );
    throw new TemporalSetupError(
      'TEMPORAL_SEARCH_ATTRIBUTE_MISSING',
      `Temporal at ${target.address} has no search attributes ${missing.join(', ')} on namespace ${target.namespace}, and ` +
        `refused to add them (${String((error as Error).message ?? error)}). Create them once, then start again:\n${commands.join('\n')}`,
      { cause: error },
    );
  }
  return { added: missing, present };
}
