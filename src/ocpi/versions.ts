/** The OCPI versions a connection may speak. Each receiver (GIREVE, an eMSP) has its own. */
import { z } from 'zod';

export const OCPI_VERSIONS = ['2.1.1', '2.2.1'] as const;
export const ocpiVersionSchema = z.enum(OCPI_VERSIONS, { error: `must be one of ${OCPI_VERSIONS.join(', ')}` });
export type OcpiVersion = z.infer<typeof ocpiVersionSchema>;
