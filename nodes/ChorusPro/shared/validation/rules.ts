/**
 * The validation rules, one row each: what is checked (README "Validation rules" renders this
 * table), the message and the hint a user reads. The checks themselves are in checks.ts (in the
 * file) and chorus.ts (against Chorus Pro), keyed by rule id. Messages fill `{name}` from a hit.
 */
import { CHORUS_RULES } from './rules-chorus';

type Severity = 'error' | 'warning';

export interface Rule {
	id: string;
	/** `file`: read in the file alone; `chorus`: needs Chorus Pro (read-only calls). */
	group: 'file' | 'chorus';
	severity: Severity;
	/** EN 16931 business term or group, or null for the file as a whole. */
	term: string | null;
	check: string;
	message: string;
	hint: string;
}

const FILE_RULES = [
	{
		id: 'file-format',
		term: null,
		check:
			'The file is a Factur-X PDF with its CII XML, a UBL or CII XML, or a zip / tar.gz of them',
		message: 'The file cannot be read as an invoice: {reason}',
		hint: 'Export the invoice from your invoicing software as Factur-X, UBL or CII.',
	},
	{
		id: 'embedded-xml-unread',
		term: null,
		severity: 'warning',
		check: 'The XML embedded in a Factur-X PDF can be read, so that it is checked',
		message: 'The XML embedded in the PDF could not be read, so it was not checked',
		hint: 'The PDF stores its XML in a way this node does not decode; Chorus Pro may still read it.',
	},
	{
		id: 'xml-well-formed',
		term: null,
		check: 'The XML is well-formed (a DOCTYPE declaring entities is refused)',
		message: 'The XML is not well-formed: {reason}',
		hint: 'Open the file at that line and column: it was probably cut short or edited by hand.',
	},
	{
		id: 'xml-root',
		term: null,
		check:
			'The root element is a UBL Invoice or CreditNote, or a CII CrossIndustryInvoice, in its standard namespace',
		message:
			'The root element {value} is not a UBL Invoice or CreditNote nor a CII CrossIndustryInvoice',
		hint: 'Check the namespace declared on the root element, e.g. urn:oasis:names:specification:ubl:schema:xsd:Invoice-2 or urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100.',
	},
	{
		id: 'xml-namespaces',
		term: null,
		check:
			'The elements of the invoice are in the namespaces of its syntax (UBL cbc and cac, CII rsm and ram)',
		message: 'The element {value} is not in a namespace of the {syntax} syntax',
		hint: 'A namespace declaration (xmlns:…) is probably mistyped: copy it from the standard.',
	},
	{
		id: 'specification-id',
		term: 'BT-24',
		check: 'The specification identifier (the profile) is given',
		message: 'The specification identifier (BT-24) is missing',
		hint: 'Add the identifier of the profile the invoice follows, e.g. urn:cen.eu:en16931:2017.',
	},
	{
		id: 'invoice-number',
		term: 'BT-1',
		check: 'The invoice number is given',
		message: 'The invoice number (BT-1) is missing',
		hint: 'Every invoice needs its number, unique for the supplier.',
	},
	{
		id: 'issue-date',
		term: 'BT-2',
		check: 'The issue date is given',
		message: 'The issue date (BT-2) is missing',
		hint: 'Add the date the invoice was issued.',
	},
	{
		id: 'type-code',
		term: 'BT-3',
		check:
			'The invoice type code is given and is one of the EN 16931 code list (or of the codes the French reform adds)',
		message: 'The invoice type code (BT-3) {value} is not an EN 16931 type code',
		hint: 'Use 380 for an invoice, 381 for a credit note, 384 for a corrected invoice, 386 for a prepayment invoice, 389 for a self-billed invoice.',
	},
	{
		id: 'type-code-chorus',
		term: 'BT-3',
		severity: 'warning',
		check: 'The invoice type code is one Chorus Pro is known to take: 380, 381, 384, 386 or 389',
		message: 'The invoice type code (BT-3) {value} is not one Chorus Pro is known to take',
		hint: 'Chorus Pro takes invoices (380, 384, 386, 389) and credit notes (381); another code may be refused.',
	},
	{
		id: 'currency',
		term: 'BT-5',
		check: 'The invoice currency is given as an ISO 4217 code',
		message: 'The invoice currency (BT-5) {value} is missing or not a three-letter code',
		hint: 'Give the currency as an ISO 4217 code such as EUR.',
	},
	{
		id: 'seller-name',
		term: 'BT-27',
		check: 'The seller name is given',
		message: 'The seller name (BT-27) is missing',
		hint: 'Add the legal name of the seller.',
	},
	{
		id: 'seller-id',
		term: 'BT-29',
		check: 'The seller has an identifier, a legal registration identifier or a VAT identifier',
		message: 'The seller has no identifier (BT-29, BT-30 or BT-31)',
		hint: 'For Chorus Pro, give the SIRET of the seller with schemeID 0009.',
	},
	{
		id: 'buyer-name',
		term: 'BT-44',
		check: 'The buyer name is given',
		message: 'The buyer name (BT-44) is missing',
		hint: 'Add the name of the public buyer.',
	},
	{
		id: 'siret-format',
		term: 'BT-30',
		check: 'A seller or buyer identifier declared as a SIRET (schemeID 0009) has 14 digits',
		message: 'The SIRET {value} (schemeID 0009) does not have 14 digits',
		hint: 'Write the SIRET as its 14 digits, without spaces or dots.',
	},
	{
		id: 'siren-format',
		term: 'BT-30',
		check:
			'A seller or buyer identifier declared as SIRENE (schemeID 0002) has 9 digits (SIREN) or 14 digits (SIRET)',
		message: 'The SIREN or SIRET {value} (schemeID 0002) has neither 9 nor 14 digits',
		hint: 'Write the SIREN (9 digits) or the SIRET (14 digits) without spaces or dots.',
	},
	{
		id: 'siret-check-digit',
		term: 'BT-30',
		severity: 'warning',
		check: 'A SIREN or SIRET passes its check digit (Luhn; La Poste SIRETs follow their own rule)',
		message: 'The SIREN or SIRET {value} fails its check digit',
		hint: 'Check for a typing error. Test data sets of the qualification platform use SIRETs that fail it.',
	},
	{
		id: 'totals',
		term: 'BG-22',
		check:
			'The totals are given: without VAT, with VAT, amount due, and the sum of the lines where the profile has it',
		message: 'The {label} ({term}) is missing',
		hint: 'Add the document totals (BG-22) of the invoice.',
	},
	{
		id: 'decimal-format',
		term: 'BG-22',
		check: 'Amounts, quantities and rates are decimal numbers',
		message: '{value} is not a decimal number ({term})',
		hint: 'Write numbers with a dot as decimal separator and no thousands separator, e.g. 1234.50.',
	},
	{
		id: 'vat-breakdown',
		term: 'BG-23',
		check: 'The VAT breakdown is given, where the profile has it',
		message: 'The VAT breakdown (BG-23) is missing',
		hint: 'Give one VAT breakdown per VAT category and rate, with its taxable amount and VAT.',
	},
	{
		id: 'lines',
		term: 'BG-25',
		check: 'The invoice has lines, where the profile has them (not Factur-X MINIMUM nor BASIC WL)',
		message: 'The invoice has no line (BG-25)',
		hint: 'Add the invoice lines, or export the invoice in a profile without lines.',
	},
	{
		id: 'line-terms',
		term: 'BG-25',
		check: 'Every line has its identifier, quantity, net amount and item name',
		message: 'Line {line} has no {label} ({term})',
		hint: 'Complete the line.',
	},
	{
		id: 'sum-of-lines',
		term: 'BT-106',
		check: 'The sum of the line net amounts equals the sum of lines (BT-106), to the cent',
		message: 'The line net amounts add up to {expected}, but the sum of lines (BT-106) is {value}',
		hint: 'Correct the lines or the total: Chorus Pro checks the totals against the lines.',
	},
	{
		id: 'total-without-vat',
		term: 'BT-109',
		check:
			'Total without VAT = sum of lines − allowances + charges (BT-106 − BT-107 + BT-108), to the cent',
		message: 'The total without VAT (BT-109) is {value}, but BT-106 − BT-107 + BT-108 = {expected}',
		hint: 'Correct the total without VAT or the document allowances and charges.',
	},
	{
		id: 'total-with-vat',
		term: 'BT-112',
		check: 'Total with VAT = total without VAT + VAT (BT-109 + BT-110), to the cent',
		message: 'The total with VAT (BT-112) is {value}, but BT-109 + BT-110 = {expected}',
		hint: 'Correct the total with VAT or the VAT total.',
	},
	{
		id: 'amount-due',
		term: 'BT-115',
		check:
			'Amount due = total with VAT − paid amount + rounding (BT-112 − BT-113 + BT-114), to the cent; not in Factur-X MINIMUM, which has no paid amount',
		message: 'The amount due (BT-115) is {value}, but BT-112 − BT-113 + BT-114 = {expected}',
		hint: 'Correct the amount due, or give the amount already paid (BT-113).',
	},
	{
		id: 'vat-per-rate',
		term: 'BT-117',
		check:
			'In each VAT breakdown, VAT = taxable amount × rate, rounded to the cent, with one cent of tolerance (a VAT in whole units, as in HUF invoices, rounded to the unit)',
		message: 'The VAT at {rate} % is {value}, but {base} × {rate} % = {expected}',
		hint: 'Compute the VAT of each rate on its taxable amount, rounded to the cent.',
	},
	{
		id: 'vat-total',
		term: 'BT-110',
		check: 'The VAT total equals the sum of the VAT breakdown, to the cent',
		message: 'The VAT total (BT-110) is {value}, but the VAT breakdown adds up to {expected}',
		hint: 'Correct the VAT total or the VAT breakdown.',
	},
	{
		id: 'date-format',
		term: 'BT-2',
		check: 'Every date is a real date in the format of its syntax',
		message: '{value} is not a real date ({term}, expected {format})',
		hint: 'Write dates as YYYY-MM-DD in UBL, as YYYYMMDD (format 102) in CII.',
	},
	{
		id: 'issue-date-future',
		term: 'BT-2',
		check: 'The issue date is not in the future',
		message: 'The issue date (BT-2) {value} is in the future',
		hint: 'Date the invoice on the day it is issued, or earlier.',
	},
	{
		id: 'invoicing-frame',
		term: 'BT-23',
		check:
			'An invoicing frame given as a Chorus Pro code (A1, A2… or A1_FACTURE_FOURNISSEUR…) is one Chorus Pro knows',
		message: 'The invoicing frame (BT-23) {value} is not one Chorus Pro knows',
		hint: 'Use A1 for a supplier invoice, A2 for an invoice already paid, A9 for a subcontractor, A12 for a co-contractor.',
	},
	{
		id: 'invoicing-frame-other',
		term: 'BT-23',
		severity: 'warning',
		check: 'The business process type, when given, is a Chorus Pro invoicing frame',
		message: 'The business process type (BT-23) {value} is not a Chorus Pro invoicing frame',
		hint: 'Chorus Pro reads BT-23 as the invoicing frame: A1 for a supplier invoice, or leave it out.',
	},
] as const;

type Row = Omit<Rule, 'group' | 'severity'> & { severity?: Severity };

const file = (row: Row): Rule => ({ group: 'file', severity: 'error', ...row });

export const RULES: readonly Rule[] = [...FILE_RULES.map(file), ...CHORUS_RULES];

export type FileRuleId = (typeof FILE_RULES)[number]['id'];
/** Checked while the file is read (validate.ts), not on its business terms. */
export type StructureRuleId =
	| 'file-format'
	| 'embedded-xml-unread'
	| 'xml-well-formed'
	| 'xml-root'
	| 'xml-namespaces';

export function ruleOf(id: string): Rule {
	const rule = RULES.find((candidate) => candidate.id === id);
	if (!rule) throw new Error(`Unknown validation rule ${id}`);
	return rule;
}
