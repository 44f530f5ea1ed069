/** `--parties FR*ABC+FR*DEF`: CPO parties as eMI3 operator ids; a problem is added, naming the option, when it is not that. */
import type { Party } from '../ocpi/party';
import { PullClientsError, readScope } from '../config/token-list';

export function readPartiesOption(text: string, problems: string[]): Party[] {
  try {
    return readScope(text, '--parties');
  } catch (error) {
    if (!(error instanceof PullClientsError)) throw error;
    problems.push('--parties: must be CPO parties (eMI3 operator ids) joined by +, like FR*ABC+FR*DEF');
    return [];
  }
}
