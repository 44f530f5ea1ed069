import { divideRounded, divideUp, fromE4, msToHoursE4, prorate, toE4 } from '../../../src/cdr/decimal';

it('reads numbers of up to 4 decimals as exact integers of 1e-4', () => {
  expect([toE4(0.3), toE4(1.0005), toE4(12345.6789), toE4(0)]).toEqual([3000n, 10005n, 123456789n, 0n]);
});

it('writes 1e-4 integers back as the shortest number', () => {
  expect([fromE4(3000n), fromE4(10005n), fromE4(1n), fromE4(-25n)]).toEqual([0.3, 1.0005, 0.0001, -0.0025]);
});

it('rounds half away from zero and up as asked', () => {
  expect([divideRounded(5n, 10n), divideRounded(4n, 10n), divideRounded(-5n, 10n)]).toEqual([1n, 0n, -1n]);
  expect([divideUp(10n, 5n), divideUp(11n, 5n), divideUp(0n, 5n)]).toEqual([2n, 3n, 0n]);
});

it('turns ms into hours with 4 decimals (1e-4 h is 360 ms)', () => {
  expect([msToHoursE4(3_600_000), msToHoursE4(180), msToHoursE4(179)]).toEqual([10_000n, 1n, 0n]);
});

it('prorates cumulatively, so shares add up to the whole', () => {
  const shares = [prorate(10n, 1, 3), prorate(10n, 2, 3) - prorate(10n, 1, 3), prorate(10n, 3, 3) - prorate(10n, 2, 3)];
  expect(shares).toEqual([3n, 4n, 3n]);
  expect(prorate(10n, 0, 0)).toBe(0n);
});
