/**
 * Where the OCPI endpoints live, relative to the public base URL (config.baseUrl). The
 * version details and the next-page links are built from these, so a client that knows
 * only the versions URL finds everything else. OCPI 2.1.1 and 2.2.1 are served side by
 * side, each under its own version segment.
 */
export const OCPI_VERSION = '2.1.1';
export const OCPI_221_VERSION = '2.2.1';

export const VERSIONS_PATH = '/ocpi/versions';
export const VERSION_DETAILS_PATH = `/ocpi/${OCPI_VERSION}`;
export const CDRS_PATH = `/ocpi/cpo/${OCPI_VERSION}/cdrs`;
export const VERSION_DETAILS_221_PATH = `/ocpi/${OCPI_221_VERSION}`;
export const CDRS_221_PATH = `/ocpi/cpo/${OCPI_221_VERSION}/cdrs`;
export const HEALTH_PATH = '/health';
export const READY_PATH = '/ready';
