import { priceWithVat } from '../../../src/cdr/pricing/price-with-vat';

it('adds the VAT exactly, without binary float drift', () => {
  expect(priceWithVat(10.9211, 20)).toEqual({ excl_vat: 10.9211, incl_vat: 13.1053 }); // 13.10532
  expect(priceWithVat(0.1, 20)).toEqual({ excl_vat: 0.1, incl_vat: 0.12 });
  expect(priceWithVat(5.39, 19)).toEqual({ excl_vat: 5.39, incl_vat: 6.4141 });
});

it('rounds once to 4 decimals, half away from zero, so a negated amount gives the negated incl_vat', () => {
  expect(priceWithVat(0.0001, 50)).toEqual({ excl_vat: 0.0001, incl_vat: 0.0002 }); // 0.00015
  expect(priceWithVat(-0.0001, 50)).toEqual({ excl_vat: -0.0001, incl_vat: -0.0002 });
  expect(priceWithVat(1.2345, 5.5)).toEqual({ excl_vat: 1.2345, incl_vat: 1.3024 }); // 1.30239750
});

it('gives excl_vat only when the rate is unknown, and incl_vat = excl_vat at 0 %', () => {
  expect(priceWithVat(6, undefined)).toEqual({ excl_vat: 6 });
  expect(priceWithVat(6, 0)).toEqual({ excl_vat: 6, incl_vat: 6 });
});
