/**
 * OCPI discovery (version_information_endpoint.md): the version list and the 2.1.1
 * details. The CPO side offers only the cdrs module (sender interface); credentials is
 * not implemented, so it is not listed: GIREVE's token is configured out of band.
 */
import { OCPI_VERSION, CDRS_PATH, VERSION_DETAILS_PATH } from './paths';
import type { Handler } from './handler';

export const listVersions: Handler = async ({ config }) => ({
  data: [{ version: OCPI_VERSION, url: `${config.baseUrl}${VERSION_DETAILS_PATH}` }],
});

export const versionDetails: Handler = async ({ config }) => ({
  data: {
    version: OCPI_VERSION,
    endpoints: [{ identifier: 'cdrs', url: `${config.baseUrl}${CDRS_PATH}` }],
  },
});
