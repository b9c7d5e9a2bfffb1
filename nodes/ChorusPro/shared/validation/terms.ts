/**
 * The EN 16931 business terms of a UBL or CII invoice, read into one shape so that each rule is
 * written once for both syntaxes. A term the file lacks is kept with `value: null` and the path
 * where it belongs, so a finding can say where to add it.
 */
import { profileName } from '../facturx';
import type { XmlElement } from '../xml';
import { attributeOf, childrenOf, pathOf } from './xpath';

export const NS: Record<string, string> = {
	ubl: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
	ublCreditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
	cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
	cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
	ext: 'urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2',
	rsm: 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
	ram: 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100',
	udt: 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100',
	qdt: 'urn:un:unece:uncefact:data:standard:QualifiedDataType:100',
};

/** Where a party's legal registration identifier (BT-30, BT-47) is, or belongs. */
export const LEGAL_ID = {
	UBL: 'cac:PartyLegalEntity/cbc:CompanyID',
	CII: 'ram:SpecifiedLegalOrganization/ram:ID',
};

/** A business term: its text (null when the file lacks it) and where it is or belongs. */
export interface Term {
	term: string;
	value: string | null;
	path: string;
	scheme?: string;
	currency?: string;
	format?: string;
}

export interface PartyTerms {
	path: string;
	name: Term;
	/** Identifiers (BT-29/46), legal registration (BT-30/47), VAT (BT-31/48), address (BT-34/49). */
	ids: Term[];
}

interface LineTerms {
	path: string;
	id: Term;
	quantity: Term;
	net: Term;
	name: Term;
	/** Counted in BT-106: not a sub-line or an information line of a Factur-X EXTENDED invoice. */
	counted: boolean;
}

interface VatTerms {
	path: string;
	base: Term;
	tax: Term;
	category: Term;
	rate: Term;
}

/** Document totals (BG-22): sum of lines, allowances, charges, without VAT, VAT, with VAT, paid, rounding, due. */
export type TotalTerm =
	| 'BT-106'
	| 'BT-107'
	| 'BT-108'
	| 'BT-109'
	| 'BT-110'
	| 'BT-112'
	| 'BT-113'
	| 'BT-114'
	| 'BT-115';

export interface InvoiceTerms {
	syntax: 'UBL' | 'CII';
	/** MINIMUM, BASIC WL, BASIC, EN 16931, EXTENDED or XRECHNUNG. */
	profile: string;
	/** Factur-X MINIMUM and BASIC WL carry no lines; MINIMUM has no VAT breakdown nor BT-106. */
	withLines: boolean;
	withBreakdown: boolean;
	specification: Term;
	process: Term;
	number: Term;
	issueDate: Term;
	typeCode: Term;
	currency: Term;
	buyerReference: Term;
	orderReference: Term;
	seller: PartyTerms;
	buyer: PartyTerms;
	totals: Record<TotalTerm, Term>;
	vat: VatTerms[];
	lines: LineTerms[];
	/** Where the VAT breakdown and the lines are, or belong. */
	where: { vat: string; lines: string };
	/** Every date of the file, with its format (CII) and the term it holds when known. */
	dates: Term[];
}

/** Elements reached from `from` by a path such as `cac:Party/cbc:ID`. */
export function all(from: XmlElement | undefined, path: string): XmlElement[] {
	let nodes = from && path ? [from] : [];
	// Read step by step without splitting: rules walk hundreds of paths per file.
	for (let start = 0; nodes.length && start < path.length; ) {
		const colon = path.indexOf(':', start);
		const slash = path.indexOf('/', colon);
		const end = slash < 0 ? path.length : slash;
		const ns = NS[path.slice(start, colon)];
		const local = path.slice(colon + 1, end);
		const found: XmlElement[] = [];
		for (const node of nodes) found.push(...childrenOf(node, ns, local));
		nodes = found;
		start = end + 1;
	}
	return nodes;
}

export function termOf(element: XmlElement, term: string): Term {
	const found: Term = { term, value: element.text.trim(), path: pathOf(element) };
	for (const [key, attribute] of [
		['scheme', 'schemeID'],
		['currency', 'currencyID'],
		['format', 'format'],
	] as const) {
		const value = attributeOf(element, attribute);
		if (value !== undefined) found[key] = value.trim();
	}
	return found;
}

/** The first element at `path` from `from` as a term, or the missing term with where it belongs. */
export function termAt(
	from: XmlElement | undefined,
	base: string,
	path: string,
	term: string,
): Term {
	const found = all(from, path)[0];
	if (found) return termOf(found, term);
	return { term, value: null, path: `${from ? pathOf(from) : base}/${path}` };
}

export const termsAt = (from: XmlElement | undefined, path: string, term: string) =>
	all(from, path).map((element) => termOf(element, term));

export function profileOf(syntax: 'UBL' | 'CII', specification: string | null): string {
	const profile = profileName(specification ?? undefined);
	if (syntax === 'UBL') return profile === 'XRECHNUNG' ? profile : 'EN 16931';
	return profile ?? 'EN 16931';
}

/** Dates: UBL `cbc:…Date`; CII `DateTimeString` / `DateString`, named after their parent. */
const DATE_TERMS: Record<string, string> = {
	IssueDate: 'BT-2',
	IssueDateTime: 'BT-2',
	DueDate: 'BT-9',
	PaymentDueDate: 'BT-9',
	DueDateDateTime: 'BT-9',
	TaxPointDate: 'BT-7',
	ActualDeliveryDate: 'BT-72',
	OccurrenceDateTime: 'BT-72',
	StartDate: 'BT-73',
	StartDateTime: 'BT-73',
	EndDate: 'BT-74',
	EndDateTime: 'BT-74',
	FormattedIssueDateTime: 'BT-26',
};

export function datesOf(root: XmlElement, syntax: 'UBL' | 'CII'): Term[] {
	const dates: Term[] = [];
	const walk = (element: XmlElement) => {
		const ubl = syntax === 'UBL' && element.ns === NS.cbc && element.local.endsWith('Date');
		const cii = syntax === 'CII' && /^Date(Time)?String$/.test(element.local);
		if (ubl || cii) {
			const named = ubl ? element : element.parent;
			const term = DATE_TERMS[named?.local ?? ''] ?? '';
			// Only the invoice's own IssueDate is BT-2; a referenced invoice's is BT-26.
			dates.push(
				termOf(element, term === 'BT-2' && ubl && element.parent !== root ? 'BT-26' : term),
			);
		}
		element.children.forEach(walk);
	};
	walk(root);
	return dates;
}

/** Terms of a party: seller BT-27, 29, 30, 31, 34; buyer BT-44, 46, 47, 48, 49. */
export type PartyTermNames = [string, string, string, string, string];
export const SELLER: PartyTermNames = ['BT-27', 'BT-29', 'BT-30', 'BT-31', 'BT-34'];
export const BUYER: PartyTermNames = ['BT-44', 'BT-46', 'BT-47', 'BT-48', 'BT-49'];

/** The one of several amounts in the invoice currency (another may be in the VAT currency). */
export function inCurrency(
	elements: XmlElement[],
	currency: string | null,
	amountOf = (element: XmlElement): XmlElement | undefined => element,
) {
	const inInvoiceCurrency = (element: XmlElement) =>
		(attributeOf(amountOf(element), 'currencyID') ?? currency) === currency;
	return elements.find(inInvoiceCurrency) ?? elements[0];
}
