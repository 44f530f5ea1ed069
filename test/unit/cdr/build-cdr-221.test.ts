import { CdrBuildError } from '../../../src/cdr/build/build-error';
import { buildCdr } from '../../../src/cdr/build/build-cdr';
import { buildCdr221, buildCdr221WithPricing, missing221Fields } from '../../../src/cdr/build/build-cdr-221';
import { type SessionEnded, type SessionEndedInput } from '../../../src/cdr/session/session-ended';
import { parseSessionEnded } from '../../../src/cdr/session/parse-session-ended';
import { validateCdr221 } from '../../../src/cdr/validate/validate-cdr-221';
import { cdr221Schema } from '../../../src/ocpi/v221/cdr';
import { component, element, NOW, paris, sessionEnded, sessionEndedInput, tariff, type SessionSpec } from './fixtures';

const at = (time: string) => paris(`2025-01-15 ${time}`);
const TOKEN = { country_code: 'FR', party_id: 'GIR', uid: '04A1B2C3D4E5F6', type: 'RFID' } as const;
/** 1.00 per session, 0.30/kWh, 2.00/h charging: 10 kWh in 1 h cost 1.00 + 3.00 + 2.00 = 6.00. */
const flatEnergyTime = tariff([element([component('FLAT', 1), component('ENERGY', 0.3), component('TIME', 2)])]);
const hour: SessionSpec = { start: at('10:00'), stop: at('11:00'), tariffs: [flatEnergyTime] };

function with221(spec: SessionSpec, extra: Partial<SessionEndedInput> = { cdr_token: TOKEN, vat_percentage: 20 }): SessionEnded {
  return parseSessionEnded({ ...sessionEndedInput(spec), ...extra }, NOW);
}

function buildProblems(input: SessionEnded): string[] {
  try {
    buildCdr221(input, NOW);
    return [];
  } catch (error) {
    if (error instanceof CdrBuildError) return error.problems;
    throw error;
  }
}

describe('a session started by a command (remote start, START_SESSION)', () => {
  it('says auth_method COMMAND in 2.2.1, and keeps the 2.1.1 value in the 2.1.1 CDR', () => {
    const remote = with221(hour, { cdr_token: TOKEN, vat_percentage: 20, started_by_command: true });
    const cdr = buildCdr221(remote, NOW);
    expect(cdr.auth_method).toBe('COMMAND');
    expect(validateCdr221(buildCdr221WithPricing(remote, NOW))).toMatchObject({ valid: true });
    expect(buildCdr(remote, NOW).auth_method).toBe(remote.session.auth_method);
  });

  it('keeps the session auth_method in 2.2.1 otherwise', () => {
    expect(buildCdr221(with221(hour), NOW).auth_method).toBe(with221(hour).session.auth_method);
    expect(buildCdr221(with221(hour, { cdr_token: TOKEN, vat_percentage: 20, started_by_command: false }), NOW).auth_method).not.toBe(
      'COMMAND',
    );
  });

  it('is a boolean, named when it is not', () => {
    expect(() => with221(hour, { cdr_token: TOKEN, vat_percentage: 20, started_by_command: 'yes' as unknown as boolean })).toThrow(
      /started_by_command/,
    );
  });
});

describe('what OCPI 2.2.1 needs beyond a 2.1.1 input', () => {
  const TOKEN_PROBLEMS = [
    'cdr_token.country_code: is required for an OCPI 2.2.1 connection (the country code of the eMSP that owns the token; 2.1.1 input carries only auth_id)',
    'cdr_token.party_id: is required for an OCPI 2.2.1 connection (the party id of the eMSP that owns the token; 2.1.1 input carries only auth_id)',
    "cdr_token.uid: is required for an OCPI 2.2.1 connection (the token's uid; 2.1.1 input carries only auth_id)",
    'cdr_token.type: is required for an OCPI 2.2.1 connection (RFID, APP_USER, AD_HOC_USER or OTHER; 2.1.1 input carries only auth_id)',
    'vat_percentage: is required for an OCPI 2.2.1 connection (the VAT rate in percent, 0 when no VAT applies; without it a 2.2.1 tariff reads as "no VAT applicable")',
  ];

  it('refuses a 2.1.1-only input, naming each missing field and its rule', () => {
    const input = sessionEnded(hour);
    expect(buildProblems(input)).toEqual(TOKEN_PROBLEMS);
    expect(missing221Fields(input)).toEqual(TOKEN_PROBLEMS);
  });

  it('still builds the 2.1.1 CDR of that input', () => {
    expect(buildCdr(sessionEnded(hour), NOW).total_cost).toBe(6);
  });

  it('finds nothing missing once the token is given', () => {
    expect(missing221Fields(with221(hour))).toEqual([]);
  });

  it('refuses location and EVSE ids that 2.1.1 allows but 2.2.1 CdrLocation does not (36 characters)', () => {
    const input = sessionEndedInput(hour);
    input.session.location.id = 'L'.repeat(37);
    input.session.location.evses[0].uid = 'E'.repeat(39);
    expect(missing221Fields(parseSessionEnded({ ...input, cdr_token: TOKEN, vat_percentage: 20 }, NOW))).toEqual([
      'session.location.id: must be at most 36 characters for an OCPI 2.2.1 connection (CdrLocation.id; 2.1.1 allows 39)',
      'session.location.evses[0].uid: must be at most 36 characters for an OCPI 2.2.1 connection (CdrLocation.evse_uid; 2.1.1 allows 39)',
    ]);
  });

  it('takes the contract id from auth_id when the token leaves it out, and keeps a given one', () => {
    expect(buildCdr221(with221(hour), NOW).cdr_token).toEqual({ ...TOKEN, contract_id: 'FR-GIR-C0000001' });
    const given = with221(hour, { cdr_token: { ...TOKEN, contract_id: 'FR-GIR-C0000002' }, vat_percentage: 20 });
    expect(buildCdr221(given, NOW).cdr_token.contract_id).toBe('FR-GIR-C0000002');
  });
});

describe('costs and VAT', () => {
  it('gives total_cost and a sub-total per priced dimension, with incl_vat at the given rate', () => {
    const cdr = buildCdr221(with221(hour, { cdr_token: TOKEN, vat_percentage: 5.5 }), NOW);
    expect([cdr.total_cost, cdr.total_fixed_cost, cdr.total_energy_cost, cdr.total_time_cost, cdr.total_parking_cost]).toEqual([
      { excl_vat: 6, incl_vat: 6.33 },
      { excl_vat: 1, incl_vat: 1.055 },
      { excl_vat: 3, incl_vat: 3.165 },
      { excl_vat: 2, incl_vat: 2.11 },
      undefined,
    ]);
    expect(cdr.tariffs?.[0]?.elements[0]?.price_components.map((c) => c.vat)).toEqual([5.5, 5.5, 5.5]);
  });

  it('refuses to guess the VAT: without vat_percentage the 2.2.1 CDR is not built (mod_tariffs would read "no VAT applicable")', () => {
    expect(buildProblems(with221(hour, { cdr_token: TOKEN }))).toEqual([
      expect.stringMatching(/^vat_percentage: is required for an OCPI 2\.2\.1 connection/),
    ]);
  });

  it('writes a 0 % rate as such: incl_vat equal to excl_vat, vat 0 in the tariff', () => {
    const cdr = buildCdr221(with221(hour, { cdr_token: TOKEN, vat_percentage: 0 }), NOW);
    expect(cdr.total_cost).toEqual({ excl_vat: 6, incl_vat: 6 });
    expect(cdr.tariffs?.[0]?.elements[0]?.price_components[0]?.vat).toBe(0);
  });

  it('gives no sub-totals when the backend total stands against the tariff, and is refused like the 2.1.1 CDR', () => {
    const built = buildCdr221WithPricing(with221({ ...hour, total_cost: 9.5 }), NOW);
    expect(built.cdr.total_cost).toEqual({ excl_vat: 9.5, incl_vat: 11.4 });
    for (const key of ['total_fixed_cost', 'total_energy_cost', 'total_time_cost', 'total_parking_cost']) {
      expect(built.cdr).not.toHaveProperty(key);
    }
    const validation = validateCdr221(built);
    expect(validation.valid).toBe(false);
    expect(!validation.valid && validation.errors).toEqual([expect.stringMatching(/^total_cost: /)]);
  });

  it('gives the backend total, no tariff and no tariff_id when no tariff was given', () => {
    const cdr = buildCdr221(with221({ ...hour, tariffs: [], total_cost: 12.34 }), NOW);
    expect(cdr.total_cost).toEqual({ excl_vat: 12.34, incl_vat: 14.808 });
    expect(cdr).not.toHaveProperty('tariffs');
    expect(cdr).not.toHaveProperty('total_energy_cost');
    expect(cdr.charging_periods.map((period) => period.tariff_id)).toEqual([undefined]);
  });
});

describe('translation of the 2.1.1 CDR', () => {
  it('drops the FLAT dimension, which 2.2.1 has not, and names the tariff of each period', () => {
    const input = sessionEndedInput(hour);
    input.session.charging_periods![0]!.dimensions.push({ type: 'MAX_CURRENT', volume: 32 }, { type: 'FLAT', volume: 1 });
    const cdr = buildCdr221(parseSessionEnded({ ...input, cdr_token: TOKEN, vat_percentage: 20 }, NOW), NOW);
    expect(cdr.charging_periods).toEqual([
      {
        start_date_time: at('10:00'),
        dimensions: [
          { type: 'ENERGY', volume: 10 },
          { type: 'TIME', volume: 1 },
          { type: 'MAX_CURRENT', volume: 32 },
        ],
        tariff_id: 'T1',
      },
    ]);
    expect(cdr221Schema.safeParse(cdr).success).toBe(true);
  });

  it('gives the tariff to the CPO party, without a type (valid for all sessions)', () => {
    const [only] = buildCdr221(with221(hour), NOW).tariffs ?? [];
    expect(only).toMatchObject({ country_code: 'FR', party_id: 'AB1', id: 'T1', currency: 'EUR' });
    expect(only).not.toHaveProperty('type');
  });

  it('carries the session id and the GIREVE authorization as authorization_reference', () => {
    const input = sessionEndedInput(hour);
    input.session.authorization_id = 'AUTH-42';
    const cdr = buildCdr221(parseSessionEnded({ ...input, cdr_token: TOKEN, vat_percentage: 20 }, NOW), NOW);
    expect([cdr.session_id, cdr.authorization_reference]).toEqual(['S-1', 'AUTH-42']);
    expect(cdr).not.toHaveProperty('authorization_id');
  });

  it('still refuses what the 2.1.1 builder refuses (here a session that ends after `now`)', () => {
    expect(() => buildCdr221(with221(hour), new Date('2025-01-01T00:00:00Z'))).toThrow(CdrBuildError);
  });
});
