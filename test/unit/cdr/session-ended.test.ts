import { simulatedSessionEnded } from '../../../src/dev/simulated-session';
import { component, element, paris, PARTY, sessionEndedInput, tariff } from './fixtures';
import { problemsOf } from './session-ended-problems';

const at = (time: string) => paris(`2025-01-15 ${time}`);
const valid = () => sessionEndedInput({ start: at('10:00'), stop: at('11:00'), tariffs: [tariff([element([component('ENERGY', 0.3)])])] });

it('accepts the simulated session used by the demo and the end-to-end tests', () => {
  const input = simulatedSessionEnded({ party: PARTY, sessionId: 'sim-1', start: new Date('2026-11-20T08:00:00Z') });
  expect(problemsOf(input)).toEqual([]);
});

it('requires session.total_cost when no tariff is given', () => {
  const input = { ...valid(), tariffs: [] };
  expect(problemsOf(input)).toEqual(['session.total_cost: is required when no tariff is given (nothing to price the session with)']);
  expect(problemsOf({ ...input, session: { ...input.session, total_cost: 0 } })).toEqual([]);
});

it("requires an evse_id that starts with the CPO's eMI3 operator id", () => {
  const input = valid();
  const evse = input.session.location.evses[0];
  expect(problemsOf(input)).toEqual([]);
  evse.evse_id = 'FR*ZZZ*E0001';
  expect(problemsOf(input)).toEqual([
    "session.location.evses[0].evse_id: must be an eMI3 EVSE id starting with the CPO's operator id FR*AB1*E (GIREVE)",
  ]);
  evse.evse_id = 'fr*ab1*e0001';
  expect(problemsOf(input)).toEqual([]);
  delete evse.evse_id;
  expect(problemsOf(input)).toEqual(['session.location.evses[0].evse_id: is required by GIREVE: the eMI3 EVSE id, like FR*AB1*E0001']);
});

it('refuses two different authorization ids for one session', () => {
  const input = { ...valid(), authorization_id: 'AUTH-1' };
  input.session.authorization_id = 'AUTH-2';
  expect(problemsOf(input)).toEqual(['authorization_id: must equal session.authorization_id: GIREVE echoes one authorization unchanged']);
});

it('refuses a session that has not ended, naming the field', () => {
  const input = valid();
  delete input.session.end_datetime;
  input.session.status = 'ACTIVE';
  expect(problemsOf(input)).toEqual([
    'session.end_datetime: is required: the session must have ended',
    'session.status: must be COMPLETED for a CDR',
  ]);
});

it('refuses a session that ends before it starts', () => {
  const input = valid();
  input.session.end_datetime = input.session.start_datetime;
  expect(problemsOf(input)).toEqual(['session.end_datetime: must be after start_datetime']);
});

it('refuses an out-of-order interval that ends before it starts', () => {
  const input = { ...valid(), out_of_order: [{ start: at('10:30'), end: at('10:20') }] };
  expect(problemsOf(input)).toEqual(['out_of_order[0].end: start must not be after end']);
});

describe('what an OCPI 2.2.1 CDR needs (optional: a 2.1.1-only input stays valid)', () => {
  const token = { country_code: 'FR', party_id: 'GIR', uid: '04A1B2C3D4E5F6', type: 'RFID' };

  it('accepts a token without contract_id (auth_id is the contract id) and a VAT rate', () => {
    expect(problemsOf({ ...valid(), cdr_token: token, vat_percentage: 20 })).toEqual([]);
    expect(problemsOf({ ...valid(), cdr_token: { ...token, contract_id: 'FR-GIR-C0000001' }, vat_percentage: 5.5 })).toEqual([]);
  });

  it('refuses a token that lacks the eMSP or has a type 2.2.1 does not know', () => {
    const { party_id: _party, ...withoutParty } = token;
    expect(problemsOf({ ...valid(), cdr_token: { ...withoutParty, type: 'EMAID' } })).toEqual([
      'cdr_token.party_id: Invalid input: expected string, received undefined',
      'cdr_token.type: Invalid option: expected one of "AD_HOC_USER"|"APP_USER"|"OTHER"|"RFID"',
    ]);
  });

  it('refuses a VAT rate that is not a percentage', () => {
    expect(problemsOf({ ...valid(), vat_percentage: 120 })).toEqual(['vat_percentage: must be a percentage from 0 to 100']);
    expect(problemsOf({ ...valid(), vat_percentage: -1 })).toEqual(['vat_percentage: must be >= 0']);
  });
});
