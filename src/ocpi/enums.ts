/**
 * OCPI 2.1.1 enums used by CDR, Session, Location/EVSE/Connector and Tariff, with the
 * exact spelling of the spec (case-sensitive, note the lower-case IEC_60309 values).
 */
import { z } from 'zod';

/** mod_cdrs.md 4.1 */
export const authMethodSchema = z.enum(['AUTH_REQUEST', 'WHITELIST']);
export type AuthMethod = z.infer<typeof authMethodSchema>;

/** mod_cdrs.md 4.3 */
export const cdrDimensionTypeSchema = z.enum(['ENERGY', 'FLAT', 'MAX_CURRENT', 'MIN_CURRENT', 'PARKING_TIME', 'TIME']);
export type CdrDimensionType = z.infer<typeof cdrDimensionTypeSchema>;

/** mod_locations.md 4.3 */
export const connectorFormatSchema = z.enum(['SOCKET', 'CABLE']);
export type ConnectorFormat = z.infer<typeof connectorFormatSchema>;

/** mod_locations.md 4.4 (2.1.1 list; 2.2 added more, which 2.1.1 receivers would reject) */
export const connectorTypeSchema = z.enum([
  'CHADEMO',
  'DOMESTIC_A',
  'DOMESTIC_B',
  'DOMESTIC_C',
  'DOMESTIC_D',
  'DOMESTIC_E',
  'DOMESTIC_F',
  'DOMESTIC_G',
  'DOMESTIC_H',
  'DOMESTIC_I',
  'DOMESTIC_J',
  'DOMESTIC_K',
  'DOMESTIC_L',
  'IEC_60309_2_single_16',
  'IEC_60309_2_three_16',
  'IEC_60309_2_three_32',
  'IEC_60309_2_three_64',
  'IEC_62196_T1',
  'IEC_62196_T1_COMBO',
  'IEC_62196_T2',
  'IEC_62196_T2_COMBO',
  'IEC_62196_T3A',
  'IEC_62196_T3C',
  'TESLA_R',
  'TESLA_S',
]);
export type ConnectorType = z.infer<typeof connectorTypeSchema>;

/** mod_locations.md 4.18 */
export const powerTypeSchema = z.enum(['AC_1_PHASE', 'AC_3_PHASE', 'DC']);
export type PowerType = z.infer<typeof powerTypeSchema>;

/** mod_locations.md 4.16 */
export const locationTypeSchema = z.enum(['ON_STREET', 'PARKING_GARAGE', 'UNDERGROUND_GARAGE', 'PARKING_LOT', 'OTHER', 'UNKNOWN']);
export type LocationType = z.infer<typeof locationTypeSchema>;

/** mod_locations.md 4.11 */
export const facilitySchema = z.enum([
  'HOTEL',
  'RESTAURANT',
  'CAFE',
  'MALL',
  'SUPERMARKET',
  'SPORT',
  'RECREATION_AREA',
  'NATURE',
  'MUSEUM',
  'BUS_STOP',
  'TAXI_STAND',
  'TRAIN_STATION',
  'AIRPORT',
  'CARPOOL_PARKING',
  'FUEL_STATION',
  'WIFI',
]);
export type Facility = z.infer<typeof facilitySchema>;

/** mod_locations.md 4.2 */
export const capabilitySchema = z.enum([
  'CHARGING_PROFILE_CAPABLE',
  'CREDIT_CARD_PAYABLE',
  'REMOTE_START_STOP_CAPABLE',
  'RESERVABLE',
  'RFID_READER',
  'UNLOCK_CAPABLE',
]);
export type Capability = z.infer<typeof capabilitySchema>;

/** mod_locations.md 4.20: status of an EVSE. */
export const statusSchema = z.enum([
  'AVAILABLE',
  'BLOCKED',
  'CHARGING',
  'INOPERATIVE',
  'OUTOFORDER',
  'PLANNED',
  'REMOVED',
  'RESERVED',
  'UNKNOWN',
]);
export type Status = z.infer<typeof statusSchema>;

/** mod_locations.md 4.17 */
export const parkingRestrictionSchema = z.enum(['EV_ONLY', 'PLUGGED', 'DISABLED', 'CUSTOMERS', 'MOTORCYCLES']);
export type ParkingRestriction = z.infer<typeof parkingRestrictionSchema>;

/** mod_locations.md 4.15 */
export const imageCategorySchema = z.enum(['CHARGER', 'ENTRANCE', 'LOCATION', 'NETWORK', 'OPERATOR', 'OTHER', 'OWNER']);
export type ImageCategory = z.infer<typeof imageCategorySchema>;

/** mod_locations.md 4.7 */
export const energySourceCategorySchema = z.enum(['NUCLEAR', 'GENERAL_FOSSIL', 'COAL', 'GAS', 'GENERAL_GREEN', 'SOLAR', 'WIND', 'WATER']);
export type EnergySourceCategory = z.infer<typeof energySourceCategorySchema>;

/** mod_locations.md 4.9 */
export const environmentalImpactCategorySchema = z.enum(['NUCLEAR_WASTE', 'CARBON_DIOXIDE']);
export type EnvironmentalImpactCategory = z.infer<typeof environmentalImpactCategorySchema>;

/** mod_tariffs.md 4.4: unlike CdrDimensionType, no MAX_CURRENT / MIN_CURRENT. */
export const tariffDimensionTypeSchema = z.enum(['ENERGY', 'FLAT', 'PARKING_TIME', 'TIME']);
export type TariffDimensionType = z.infer<typeof tariffDimensionTypeSchema>;

/** mod_tariffs.md 4.1 */
export const dayOfWeekSchema = z.enum(['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY']);
export type DayOfWeek = z.infer<typeof dayOfWeekSchema>;

/** mod_sessions.md 4.1 */
export const sessionStatusSchema = z.enum(['ACTIVE', 'COMPLETED', 'INVALID', 'PENDING']);
export type SessionStatus = z.infer<typeof sessionStatusSchema>;
