import type { PricedLine, VatRate } from '../nodes/ChorusPro/shared/money';
import {
	invoiceAmounts,
	invoiceTotals,
	lineNet,
	roundToCent,
	vatBreakdown,
	vatLine,
} from '../nodes/ChorusPro/shared/money';

const line = (quantity: number, unitPrice: number, vat: VatRate, discount = 0): PricedLine => ({
	quantity,
	unitPrice,
	discount,
	vat,
});
const percent = (value: number): VatRate => ({ percent: value });

describe('roundToCent: half away from zero, on the decimal the user meant', () => {
	it.each([
		[0.1 + 0.2, 0.3],
		[1.005, 1.01],
		[1.015, 1.02],
		[2.675, 2.68],
		[1.3 * 0.35, 0.46],
		[0.125, 0.13],
		[1.004, 1],
		[10, 10],
		[1234567.891, 1234567.89],
	])('%p gives %p', (amount, expected) => {
		expect(roundToCent(amount)).toBe(expected);
	});

	it('rounds negative amounts away from zero, as their positive mirror', () => {
		expect(roundToCent(-1.005)).toBe(-1.01);
		expect(roundToCent(-0.125)).toBe(-0.13);
		expect(roundToCent(-(0.1 + 0.2))).toBe(-0.3);
	});

	it('never gives -0', () => {
		expect(Object.is(roundToCent(-0.004), 0)).toBe(true);
	});
});

describe('lineNet', () => {
	it('is quantity × unit price − discount, to the cent', () => {
		expect(lineNet(line(3, 0.335, percent(20)))).toBe(1.01);
		expect(lineNet(line(10, 100, percent(20), 50))).toBe(950);
		expect(lineNet(line(0.5, 33.333333, percent(20)))).toBe(16.67);
	});
});

describe('vatBreakdown: one VAT line per rate', () => {
	it('computes base and VAT for 20, 10, 5.5, 2.1 and 0 %', () => {
		const lines = [
			line(1, 100, percent(20)),
			line(1, 100, percent(10)),
			line(1, 100, percent(5.5)),
			line(1, 100, percent(2.1)),
			line(1, 100, percent(0)),
		];
		expect(vatBreakdown(lines)).toEqual([
			{ rate: percent(20), base: 100, vat: 20 },
			{ rate: percent(10), base: 100, vat: 10 },
			{ rate: percent(5.5), base: 100, vat: 5.5 },
			{ rate: percent(2.1), base: 100, vat: 2.1 },
			{ rate: percent(0), base: 100, vat: 0 },
		]);
	});

	it('adds the lines of a rate (each line rounded first), then rounds the VAT of the sum', () => {
		// 3 lines of 0.333…: each rounds to 0.33, the base is 0.99, its VAT at 5.5 % is 0.05445.
		const third = line(1, 1 / 3, percent(5.5));
		expect(vatBreakdown([third, third, third])).toEqual([
			{ rate: percent(5.5), base: 0.99, vat: 0.05 },
		]);
		// 0.1 + 0.2: no binary leftover in the base.
		expect(vatBreakdown([line(1, 0.1, percent(20)), line(1, 0.2, percent(20))])).toEqual([
			{ rate: percent(20), base: 0.3, vat: 0.06 },
		]);
	});

	it('rounds a half cent of VAT up', () => {
		// 10.05 × 10 % = 1.005
		expect(vatBreakdown([line(1, 10.05, percent(10))])[0].vat).toBe(1.01);
		// 5.5 % of 0.10 = 0.0055
		expect(vatBreakdown([line(1, 0.1, percent(5.5))])[0].vat).toBe(0.01);
		// 2.1 % of 0.50 = 0.0105: under the half cent
		expect(vatBreakdown([line(1, 0.5, percent(2.1))])[0].vat).toBe(0.01);
		// 2.1 % of 0.70 = 0.0147
		expect(vatBreakdown([line(1, 0.7, percent(2.1))])[0].vat).toBe(0.01);
	});

	it('keeps a Chorus Pro code and a bare percentage apart, in the order they first appear', () => {
		const code: VatRate = { code: 'TVA1', percent: 20 };
		const lines = [line(1, 10, percent(20)), line(2, 10, code), line(1, 5, percent(20))];
		expect(vatBreakdown(lines)).toEqual([
			{ rate: percent(20), base: 15, vat: 3 },
			{ rate: code, base: 20, vat: 4 },
		]);
	});

	it('takes line discounts off the base', () => {
		expect(vatBreakdown([line(4, 25, percent(20), 10)])).toEqual([
			{ rate: percent(20), base: 90, vat: 18 },
		]);
	});
});

describe('invoiceTotals', () => {
	const vatLines = [vatLine(percent(20), 1000), vatLine(percent(5.5), 50)];

	it('adds the VAT lines: excl. tax, VAT, incl. tax, amount to pay', () => {
		expect(invoiceTotals(vatLines)).toEqual({
			exclTax: 1050,
			vat: 202.75,
			inclTax: 1252.75,
			globalDiscount: 0,
			toPay: 1252.75,
		});
	});

	it('takes a global discount (incl. tax) off the amount to pay, not off the totals', () => {
		expect(invoiceTotals(vatLines, { globalDiscount: 52.75 })).toEqual({
			exclTax: 1050,
			vat: 202.75,
			inclTax: 1252.75,
			globalDiscount: 52.75,
			toPay: 1200,
		});
	});

	it('keeps the totals the user gave, as given', () => {
		expect(invoiceTotals(vatLines, { exclTax: 1000.004, vat: 200, toPay: 10 })).toEqual({
			exclTax: 1000.004,
			vat: 200,
			inclTax: 1200,
			globalDiscount: 0,
			toPay: 10,
		});
	});
});

describe('invoiceAmounts', () => {
	it('with lines: VAT lines from the lines, totals from the VAT lines', () => {
		const { vatLines, totals } = invoiceAmounts([
			line(10, 100, { code: 'TVA6', percent: 20 }),
			line(2, 25, percent(5.5)),
		]);
		expect(vatLines).toEqual([
			{ rate: { code: 'TVA6', percent: 20 }, base: 1000, vat: 200 },
			{ rate: percent(5.5), base: 50, vat: 2.75 },
		]);
		expect(totals).toMatchObject({ exclTax: 1050, vat: 202.75, inclTax: 1252.75, toPay: 1252.75 });
	});

	it('with lines, the VAT rate of the totals is not used', () => {
		const { totals } = invoiceAmounts([line(1, 100, percent(10))], { vatPercent: 20 });
		expect(totals.vat).toBe(10);
	});

	it('without lines: no VAT line, the VAT of the total at the rate given, 20 % by default', () => {
		expect(invoiceAmounts([], { exclTax: 1000 })).toEqual({
			vatLines: [],
			totals: { exclTax: 1000, vat: 200, inclTax: 1200, globalDiscount: 0, toPay: 1200 },
		});
		expect(invoiceAmounts([], { exclTax: 100.1, vatPercent: 5.5 }).totals).toMatchObject({
			vat: 5.51,
			inclTax: 105.61,
		});
		expect(invoiceAmounts([], { exclTax: 1000, vat: 55 }).totals.vat).toBe(55);
	});

	it('a VAT-exempt invoice (0 %) has a VAT of 0 and pays its base', () => {
		const { vatLines, totals } = invoiceAmounts([line(3, 33.33, percent(0))]);
		expect(vatLines).toEqual([{ rate: percent(0), base: 99.99, vat: 0 }]);
		expect(totals).toMatchObject({ exclTax: 99.99, vat: 0, inclTax: 99.99, toPay: 99.99 });
	});

	it('a credit note given as negative lines mirrors the invoice, cent for cent', () => {
		const invoice = invoiceAmounts([line(3, 0.335, percent(20)), line(1, 10.05, percent(10))]);
		const creditNote = invoiceAmounts([line(-3, 0.335, percent(20)), line(1, -10.05, percent(10))]);
		expect(creditNote.vatLines).toEqual(
			invoice.vatLines.map((vat) => ({ ...vat, base: -vat.base, vat: -vat.vat })),
		);
		expect(creditNote.totals).toEqual({
			exclTax: -invoice.totals.exclTax,
			vat: -invoice.totals.vat,
			inclTax: -invoice.totals.inclTax,
			globalDiscount: 0,
			toPay: -invoice.totals.toPay,
		});
		expect(invoice.totals).toMatchObject({ exclTax: 11.06, vat: 1.21, inclTax: 12.27 });
	});
});
