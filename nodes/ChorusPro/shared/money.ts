/**
 * Invoice arithmetic: line net amounts, VAT per rate, totals. Pure (no n8n, no Chorus Pro field
 * names), so it is tested on its own (test/money.test.ts). Sums are made in whole cents, so binary
 * fractions never add up (0.1 + 0.2 is 0.30). Every computed amount is rounded to the cent, half
 * away from zero: 1.005 gives 1.01 and -1.005 gives -1.01, so a credit note written as negative
 * lines mirrors its invoice. Amounts given by the user are kept as given.
 */

/** A VAT rate: a Chorus Pro rate code (e.g. TVA6) with its percentage, or a percentage alone. */
export interface VatRate {
	code?: string;
	percent: number;
}

/** What the arithmetic needs of an invoice line. */
export interface PricedLine {
	quantity: number;
	/** Unit price excluding tax. */
	unitPrice: number;
	/** Discount on the whole line, excluding tax. */
	discount: number;
	vat: VatRate;
}

/** The VAT of one rate: its taxable base and its tax, both to the cent. */
export interface VatLine {
	rate: VatRate;
	base: number;
	vat: number;
}

/** Totals given by the user: each one replaces the computed one. */
export interface GivenTotals {
	exclTax?: number;
	vat?: number;
	/** Incl. tax, taken off the total incl. tax to give the amount to pay. */
	globalDiscount?: number;
	toPay?: number;
	/** Rate of the one VAT line of an invoice without lines (20 when not given). */
	vatPercent?: number;
}

export interface Totals {
	exclTax: number;
	vat: number;
	inclTax: number;
	globalDiscount: number;
	toPay: number;
}

/** Rate of an invoice given by its totals alone, when none is given: the French standard rate. */
const DEFAULT_VAT_PERCENT = 20;

function toCents(amount: number): number {
	// 15 significant digits undo the binary error of decimal arithmetic (1.005 * 100 is
	// 100.49999999999999, 1.3 * 0.35 is 0.45499999999999996) before the half cent is rounded.
	const cents = Number((amount * 100).toPrecision(15));
	// `|| 0`: no -0 in an output (-0.004 rounds to 0).
	return cents < 0 ? -Math.round(-cents) || 0 : Math.round(cents);
}

/** An amount rounded to the cent, half away from zero. */
export function roundToCent(amount: number): number {
	return toCents(amount) / 100;
}

/** The sum of amounts that are already to the cent, without binary leftovers. */
function sumOfCents(amounts: number[]): number {
	return amounts.reduce((sum, amount) => sum + toCents(amount), 0) / 100;
}

/** Net amount of a line excluding tax: quantity × unit price − discount, to the cent. */
export function lineNet(line: PricedLine): number {
	return roundToCent(line.quantity * line.unitPrice - line.discount);
}

/** The VAT line of a base at a rate. */
export function vatLine(rate: VatRate, base: number): VatLine {
	return { rate, base, vat: roundToCent((base * rate.percent) / 100) };
}

/**
 * One VAT line per rate, in the order the rates first appear. A code and a bare percentage are
 * different rates even when their percentages are equal: Chorus Pro gets each as it was given.
 */
export function vatBreakdown(lines: PricedLine[]): VatLine[] {
	const bases = new Map<string, { rate: VatRate; nets: number[] }>();
	for (const line of lines) {
		const key = line.vat.code ?? `percent:${line.vat.percent}`;
		const entry = bases.get(key) ?? { rate: line.vat, nets: [] };
		entry.nets.push(lineNet(line));
		bases.set(key, entry);
	}
	return [...bases.values()].map(({ rate, nets }) => vatLine(rate, sumOfCents(nets)));
}

/** Totals of VAT lines; a total the user gave replaces the computed one. */
export function invoiceTotals(vatLines: VatLine[], given: GivenTotals = {}): Totals {
	const exclTax = given.exclTax ?? sumOfCents(vatLines.map((line) => line.base));
	const vat = given.vat ?? sumOfCents(vatLines.map((line) => line.vat));
	const inclTax = roundToCent(exclTax + vat);
	const globalDiscount = given.globalDiscount ?? 0;
	return {
		exclTax,
		vat,
		inclTax,
		globalDiscount,
		toPay: given.toPay ?? roundToCent(inclTax - globalDiscount),
	};
}

/**
 * VAT lines and totals of an invoice. With lines, the VAT lines come from them. Without lines
 * there are no VAT lines to send: the totals come from `given.exclTax` (required then), with a VAT
 * of `given.vat`, or of the base at `given.vatPercent`.
 */
export function invoiceAmounts(
	lines: PricedLine[],
	given: GivenTotals = {},
): { vatLines: VatLine[]; totals: Totals } {
	if (lines.length) {
		const vatLines = vatBreakdown(lines);
		return { vatLines, totals: invoiceTotals(vatLines, given) };
	}
	const single = vatLine({ percent: given.vatPercent ?? DEFAULT_VAT_PERCENT }, given.exclTax ?? 0);
	return { vatLines: [], totals: invoiceTotals([single], given) };
}
