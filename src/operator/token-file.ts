/**
 * A token handed to a command in a file (never on the command line, where `ps` and shell
 * history would keep it): one line, nothing else. Problems name the option, never the token.
 */
import { readFileSync } from 'node:fs';

export type TokenFileReading = { token: string } | { problem: string };

export function readTokenFile(file: string): TokenFileReading {
  let token: string;
  try {
    token = readFileSync(file, 'utf8').trim();
  } catch (error) {
    return { problem: `--token-file: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  if (token.length === 0) return { problem: `--token-file: ${file} is empty` };
  if (/\s/.test(token)) return { problem: `--token-file: ${file} must hold the token alone (one line, no spaces)` };
  return { token };
}
