/** The message of the ConfigError `run` throws; fails the test when it throws nothing, or something else. */
import { ConfigError } from '../../../src/config/index';

export function configErrorMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}
