/** OCPI 2.2.1 shapes for the CDRs module: zod schemas and the types derived from them. */
export * from './price';
export * from './cdr-token';
export * from './cdr-location';
export * from './tariff';
export * from './charging-period';
export * from './cdr';
