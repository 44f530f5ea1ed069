/**
 * Custom search attributes that let an operator find CDR workflows in the Temporal UI
 * ("all CDRs of FR*ABC still queued"). The dev server and the compose stack register them.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const CdrOperatorId = defineSearchAttributeKey('CdrOperatorId', SearchAttributeType.KEYWORD);
export const CdrSessionId = defineSearchAttributeKey('CdrSessionId', SearchAttributeType.KEYWORD);
export const CdrId = defineSearchAttributeKey('CdrId', SearchAttributeType.KEYWORD);
export const CdrDeliveryStatus = defineSearchAttributeKey('CdrDeliveryStatus', SearchAttributeType.KEYWORD);
export const CdrAttempts = defineSearchAttributeKey('CdrAttempts', SearchAttributeType.INT);
/** The IOP the CDR goes to (host of IOP_CDRS_URL), for a CPO connected to more than one. */
export const CdrIop = defineSearchAttributeKey('CdrIop', SearchAttributeType.KEYWORD);
/** The party's connection the CDR goes through (`cdrflow connection list`; `default`: the IOP_* variables). */
export const CdrConnection = defineSearchAttributeKey('CdrConnection', SearchAttributeType.KEYWORD);

/** name -> type as `temporal server start-dev --search-attribute name=Type` expects it. */
export const searchAttributeRegistrations: Record<string, 'Keyword' | 'Int'> = {
  CdrOperatorId: 'Keyword',
  CdrSessionId: 'Keyword',
  CdrId: 'Keyword',
  CdrDeliveryStatus: 'Keyword',
  CdrAttempts: 'Int',
  CdrIop: 'Keyword',
  CdrConnection: 'Keyword',
};
