/**
 * OCPI discovery (version_information_endpoint): the version list and each version's
 * details. The CPO side offers only the cdrs module (sender interface, which 2.2.1 says
 * with `role`); credentials is not implemented, so it is not listed: hubs' tokens are
 * configured out of band (OCPI_TOKENS), in either version.
 */
import type { Handler } from './handler';
import { CDRS_221_PATH, CDRS_PATH, OCPI_221_VERSION, OCPI_VERSION, VERSION_DETAILS_221_PATH, VERSION_DETAILS_PATH } from './paths';

export const listVersions: Handler = async ({ config }) => ({
  data: [
    { version: OCPI_VERSION, url: `${config.baseUrl}${VERSION_DETAILS_PATH}` },
    { version: OCPI_221_VERSION, url: `${config.baseUrl}${VERSION_DETAILS_221_PATH}` },
  ],
});

export const versionDetails: Handler = async ({ config }) => ({
  data: {
    version: OCPI_VERSION,
    endpoints: [{ identifier: 'cdrs', url: `${config.baseUrl}${CDRS_PATH}` }],
  },
});

export const versionDetails221: Handler = async ({ config }) => ({
  data: {
    version: OCPI_221_VERSION,
    endpoints: [{ identifier: 'cdrs', role: 'SENDER', url: `${config.baseUrl}${CDRS_221_PATH}` }],
  },
});
