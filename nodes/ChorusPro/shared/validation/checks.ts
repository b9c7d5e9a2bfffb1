/**
 * The checks of the in-file rules of rules.ts, one per rule id (the structure rules — file format,
 * well-formed XML, root, namespaces — are checked while reading, in validate.ts).
 */
import type { FileRuleId, StructureRuleId } from './rules';
import type { InvoiceTerms, Term, TotalTerm } from './terms';
import { LEGAL_ID } from './terms';

/** Where a rule found a problem; `details` fill the placeholders of its message and hint. */
export interface Hit {
	term: string | null;
	path: string;
	value: string | null;
	details?: Record<string, string>;
}

type Check = (invoice: InvoiceTerms) => Hit[];
type InFileRuleId = Exclude<FileRuleId, StructureRuleId>;

/**
 * BT-3 codes: the UNTDID 1001 subset of the EN 16931 code list, and the codes the French
 * e-invoicing reform adds (471-473, 500-503), so that no French invoice is refused for its code.
 */
const EN16931_TYPE_CODES = new Set(
	[
		'71 80 81 82 83 84 102 130 202 203 204 211 218 219 261 262 295 296 308 325 326 331',
		'380 381 382 383 384 385 386 387 388 389 390 393 394 395 396 420 456 457 458 527 532',
		'553 575 623 633 751 780 817 870 875 876 877 935 471 472 473 500 501 502 503',
	]
		.join(' ')
		.split(' '),
);
const CHORUS_TYPE_CODES = new Set(['380', '381', '384', '386', '389']);

/** Chorus Pro invoicing frames (docs/chorus-pro-api.md §4.5), by code (A1) or full name. */
const FRAMES = [
	'FACTURE_FOURNISSEUR',
	'FACTURE_FOURNISSEUR_DEJA_PAYEE',
	'MEMOIRE_JUSTICE',
	'PROJET_DECOMPTE_MENSUEL_FOURNISSEUR',
	'ETAT_ACOMPTE_FOURNISSEUR',
	'ETAT_ACOMPTE_VALIDE_FOURNISSEUR',
	'PROJET_DECOMPTE_FINAL_FOURNISSEUR',
	'DECOMPTE_GENERAL_DEFINITIF_FOURNISSEUR',
	'FACTURE_SOUSTRAITANT',
	'PROJET_DECOMPTE_MENSUEL_SOUSTRAITANT',
	'PROJET_DECOMPTE_FINAL_SOUSTRAITANT',
	'FACTURE_COTRAITANT',
	'PROJET_DECOMPTE_MENSUEL_COTRAITANT',
	'PROJET_DECOMPTE_FINAL_COTRAITANT',
	'ETAT_ACOMPTE_MOE',
	'ETAT_ACOMPTE_VALIDE_MOE',
	'PROJET_DECOMPTE_GENERAL_MOE',
	'DECOMPTE_GENERAL_MOE',
	'ETAT_ACOMPTE_VALIDE_MOA',
	'DECOMPTE_GENERAL_MOA',
	'DEMANDE_REMBOURSEMENT_TIC',
	'PROJET_DECOMPTE_GENERAL_FOURNISSEUR_PROCEDURE_TACITE',
	'DECOMPTE_GENERAL_DEFINITIF_TACITE_FOURNISSEUR',
	'DECOMPTE_GENERAL_DEFINITIF_TACITE_MOE',
	'DECOMPTE_GENERAL_DEFINITIF_MOE_PROCEDURE_TACITE',
].flatMap((name, index) => [`A${index + 1}`, `A${index + 1}_${name}`]);

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const TOTAL_LABELS: Partial<Record<TotalTerm, string>> = {
	'BT-106': 'sum of line net amounts',
	'BT-109': 'total without VAT',
	'BT-112': 'total with VAT',
	'BT-115': 'amount due',
};

const hit = (term: Term, details?: Record<string, string>): Hit => ({
	term: term.term,
	path: term.path,
	value: term.value,
	...(details ? { details } : {}),
});
const missing = (term: Term): Hit[] => (term.value ? [] : [hit(term)]);
const numberOf = (term: Term | undefined) =>
	term?.value && DECIMAL.test(term.value) ? Number(term.value) : undefined;
const amount = (value: number) => value.toFixed(2);
/** Amounts equal to the cent, or within a tolerance (a float sum is never exact). */
const differ = (a: number, b: number, tolerance = 0.005) => Math.abs(a - b) > tolerance + 1e-9;

/** `found` against what `compute` makes of `parts`, once all are numbers; nothing otherwise. */
function arithmetic(
	found: Term,
	parts: Array<number | undefined>,
	compute: (values: number[]) => number,
): Hit[] {
	const value = numberOf(found);
	const values = parts.filter((part): part is number => part !== undefined);
	if (value === undefined || values.length !== parts.length) return [];
	const expected = compute(values);
	return differ(value, expected) ? [hit(found, { expected: amount(expected) })] : [];
}

/** An optional amount: 0 when absent, undefined when not a number. */
const optional = (term: Term) => numberOf(term) ?? (term.value ? undefined : 0);
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** Luhn check digit; La Poste's SIRETs (SIREN 356000000) have a digit sum multiple of 5 instead. */
function checkDigitOk(digits: string): boolean {
	if (digits.length === 14 && digits.startsWith('356000000'))
		return [...digits].reduce((sum, digit) => sum + Number(digit), 0) % 5 === 0;
	const sum = [...digits].reverse().reduce((total, digit, index) => {
		const doubled = Number(digit) * (index % 2 ? 2 : 1);
		return total + (doubled > 9 ? doubled - 9 : doubled);
	}, 0);
	return sum % 10 === 0;
}

const partyIds = (invoice: InvoiceTerms) => [...invoice.seller.ids, ...invoice.buyer.ids];

/** A date of the file as YYYY-MM-DD, 'invalid', or undefined for formats not checked. */
function dateOf(term: Term, syntax: 'UBL' | 'CII'): string | 'invalid' | undefined {
	const value = term.value ?? '';
	const format = syntax === 'UBL' ? 'ubl' : (term.format ?? '102');
	const parts =
		format === 'ubl'
			? /^(\d{4})-(\d{2})-(\d{2})(?:Z|[+-]\d{2}:\d{2})?$/.exec(value)
			: format === '102'
				? /^(\d{4})(\d{2})(\d{2})$/.exec(value)
				: format === '610'
					? /^(\d{4})(\d{2})()$/.exec(value)
					: undefined;
	if (parts === undefined) return undefined;
	if (!parts) return 'invalid';
	const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3] || 1)];
	const date = new Date(Date.UTC(year, month - 1, day));
	if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || year < 1000)
		return 'invalid';
	return date.toISOString().slice(0, 10);
}

export const FILE_CHECKS: Record<InFileRuleId, Check> = {
	'specification-id': (invoice) => missing(invoice.specification),
	'invoice-number': (invoice) => missing(invoice.number),
	'issue-date': (invoice) => missing(invoice.issueDate),
	'type-code': ({ typeCode }) =>
		typeCode.value && EN16931_TYPE_CODES.has(typeCode.value) ? [] : [hit(typeCode)],
	'type-code-chorus': ({ typeCode }) =>
		typeCode.value &&
		EN16931_TYPE_CODES.has(typeCode.value) &&
		!CHORUS_TYPE_CODES.has(typeCode.value)
			? [hit(typeCode)]
			: [],
	currency: ({ currency }) => (/^[A-Z]{3}$/.test(currency.value ?? '') ? [] : [hit(currency)]),
	'seller-name': (invoice) => missing(invoice.seller.name),
	'seller-id': ({ seller, syntax }) =>
		seller.ids.some((id) => id.term !== 'BT-34')
			? []
			: [{ term: 'BT-30', path: `${seller.path}/${LEGAL_ID[syntax]}`, value: null }],
	'buyer-name': (invoice) => missing(invoice.buyer.name),
	'siret-format': (invoice) =>
		partyIds(invoice)
			.filter((id) => id.scheme === '0009' && !/^\d{14}$/.test(id.value ?? ''))
			.map((id) => hit(id)),
	'siren-format': (invoice) =>
		partyIds(invoice)
			.filter((id) => id.scheme === '0002' && !/^(\d{9}|\d{14})$/.test(id.value ?? ''))
			.map((id) => hit(id)),
	'siret-check-digit': (invoice) =>
		partyIds(invoice)
			.filter(
				(id) =>
					(id.scheme === '0009' || id.scheme === '0002') && /^(\d{9}|\d{14})$/.test(id.value ?? ''),
			)
			.filter((id) => !checkDigitOk(id.value ?? ''))
			.map((id) => hit(id)),
	totals: ({ totals, withBreakdown }) =>
		(['BT-106', 'BT-109', 'BT-112', 'BT-115'] as const)
			.filter((term) => withBreakdown || term !== 'BT-106')
			.flatMap((term) =>
				totals[term].value ? [] : [hit(totals[term], { label: TOTAL_LABELS[term] ?? term })],
			),
	'decimal-format': ({ totals, vat, lines }) =>
		[
			...Object.values(totals),
			...vat.flatMap((tax) => [tax.base, tax.tax, tax.rate]),
			...lines.flatMap((line) => [line.quantity, line.net]),
		]
			.filter((term) => term.value && !DECIMAL.test(term.value))
			.map((term) => hit(term)),
	'vat-breakdown': ({ vat, withBreakdown, where }) =>
		withBreakdown && !vat.length ? [{ term: 'BG-23', path: where.vat, value: null }] : [],
	lines: ({ lines, withLines, where }) =>
		withLines && !lines.length ? [{ term: 'BG-25', path: where.lines, value: null }] : [],
	'line-terms': ({ lines }) =>
		lines.flatMap((line, index) =>
			(
				[
					[line.id, 'line identifier'],
					[line.quantity, 'invoiced quantity'],
					[line.net, 'net amount'],
					[line.name, 'item name'],
				] as const
			)
				.filter(([term]) => !term.value)
				.map(([term, label]) => hit(term, { line: line.id.value ?? String(index + 1), label })),
		),
	'sum-of-lines': ({ lines, totals, withLines }) =>
		withLines && lines.length
			? arithmetic(
					totals['BT-106'],
					lines.filter((line) => line.counted).map((line) => numberOf(line.net)),
					sum,
				)
			: [],
	'total-without-vat': ({ totals, withBreakdown }) =>
		withBreakdown
			? arithmetic(
					totals['BT-109'],
					[numberOf(totals['BT-106']), optional(totals['BT-107']), optional(totals['BT-108'])],
					([lines, allowances, charges]) => lines - allowances + charges,
				)
			: [],
	'total-with-vat': ({ totals }) =>
		arithmetic(totals['BT-112'], [numberOf(totals['BT-109']), optional(totals['BT-110'])], sum),
	'amount-due': ({ totals, profile }) =>
		profile === 'MINIMUM'
			? []
			: arithmetic(
					totals['BT-115'],
					[numberOf(totals['BT-112']), optional(totals['BT-113']), optional(totals['BT-114'])],
					([total, paid, rounding]) => total - paid + rounding,
				),
	'vat-per-rate': ({ vat }) =>
		vat.flatMap((tax) => {
			const [base, value, rate] = [numberOf(tax.base), numberOf(tax.tax), optional(tax.rate)];
			if (base === undefined || value === undefined || rate === undefined) return [];
			const exact = (base * rate) / 100;
			const rounded = (places: number) =>
				(Math.sign(exact) * Math.round(Math.abs(exact) * 10 ** places + 1e-6)) / 10 ** places;
			// To the cent; a VAT in whole units (currencies such as HUF) is rounded to the unit.
			const expected =
				Number.isInteger(value) && !differ(value, rounded(0), 0.01) ? rounded(0) : rounded(2);
			if (!differ(value, expected, 0.01)) return [];
			const details = {
				base: tax.base.value ?? '',
				rate: String(rate),
				expected: amount(expected),
			};
			return [hit(tax.tax, details)];
		}),
	'vat-total': ({ vat, totals }) =>
		vat.length
			? arithmetic(
					totals['BT-110'],
					vat.map((tax) => numberOf(tax.tax)),
					sum,
				)
			: [],
	'date-format': ({ dates, syntax }) =>
		dates
			.filter((date) => dateOf(date, syntax) === 'invalid')
			.map((date) =>
				hit(date, {
					format: syntax === 'UBL' ? 'YYYY-MM-DD' : date.format === '610' ? 'YYYYMM' : 'YYYYMMDD',
				}),
			),
	'issue-date-future': ({ issueDate, syntax }) => {
		const date = dateOf(issueDate, syntax);
		// The latest calendar day anywhere on Earth (UTC+14): no time zone makes it "future".
		const latestToday = new Date(Date.now() + 14 * 3600_000).toISOString().slice(0, 10);
		return date && date !== 'invalid' && date > latestToday ? [hit(issueDate)] : [];
	},
	'invoicing-frame': ({ process }) =>
		process.value && /^A\d/i.test(process.value) && !FRAMES.includes(process.value.toUpperCase())
			? [hit(process)]
			: [],
	'invoicing-frame-other': ({ process }) =>
		process.value && !/^A\d/i.test(process.value) ? [hit(process)] : [],
};
