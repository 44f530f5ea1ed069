/** CDR_*: what goes into the CDRs cdrflow builds. */
import { booleanFromEnv, parseSection, type Env } from './env';

export function cdrConfig(env: Env = process.env) {
  const section = parseSection(
    {
      /** GIREVE Eichrecht: send OCPI 2.2 signed_data in CDRs (only once GIREVE certified the implementation). */
      CDR_SEND_SIGNED_DATA: booleanFromEnv.default('false'),
    },
    env,
  );
  return { sendSignedData: section.CDR_SEND_SIGNED_DATA === 'true' };
}
export type CdrConfig = ReturnType<typeof cdrConfig>;
