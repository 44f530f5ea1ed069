/** OCPI 2.1.1 shapes (with GIREVE's additions): zod schemas and the types derived from them. */
export * from './primitives';
export * from './iso4217';
export * from './time-zone';
export * from './enums';
export * from './v211/location';
export * from './v211/tariff';
export * from './v211/charging-period';
export * from './v211/signed-data';
export * from './v211/used-location';
export * from './v211/session';
export * from './v211/cdr';
export * from './response-envelope';
