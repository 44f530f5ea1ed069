/** OCPI 2.1.1 shapes (with GIREVE's additions): zod schemas and the types derived from them. */
export * from './primitives';
export * from './iso4217';
export * from './time-zone';
export * from './enums';
export * from './location';
export * from './tariff';
export * from './charging-period';
export * from './signed-data';
export * from './used-location';
export * from './session';
export * from './cdr';
export * from './response-envelope';
