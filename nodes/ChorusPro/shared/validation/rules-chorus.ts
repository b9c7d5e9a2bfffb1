/**
 * The rules checked against Chorus Pro, with read-only calls (docs/chorus-pro-api.md §3.3): the
 * second part of the table of rules.ts. Their checks are in chorus.ts.
 */
import type { Rule } from './rules';

const CHORUS_TABLE = [
	{
		id: 'buyer-siret',
		term: 'BT-46',
		check:
			'The buyer is identified by a SIRET (schemeID 0009, or 14 digits with schemeID 0002 or none): Chorus Pro routes the invoice on it',
		message: 'The buyer is not identified by a SIRET{found}',
		hint: 'Give the SIRET of the public buyer in its identifier (BT-46) or legal registration identifier (BT-47), with schemeID 0009.',
	},
	{
		id: 'buyer-known',
		term: 'BT-46',
		check: 'The buyer SIRET is a structure on Chorus Pro',
		message: 'No Chorus Pro structure has the buyer SIRET {value}',
		hint: 'Check the SIRET in the Chorus Pro directory. In qualification only the structures of your test data set exist.',
	},
	{
		id: 'buyer-active',
		term: 'BT-46',
		check: 'The buyer structure is active',
		message: 'The buyer {name} ({value}) is inactive on Chorus Pro',
		hint: 'It cannot receive invoices: ask the buyer which structure to invoice.',
	},
	{
		id: 'buyer-public',
		term: 'BT-46',
		check: 'The buyer structure is a public one, which receives invoices',
		message: 'The buyer {name} ({value}) is not a public structure on Chorus Pro',
		hint: 'Chorus Pro routes these invoices to public buyers: check the buyer SIRET.',
	},
	{
		id: 'service-code-required',
		term: 'BT-10',
		check: 'A service code is given when the buyer requires one',
		message: '{name} requires a service code (BT-10), and the invoice has none',
		hint: 'Put the code of the buyer service (on the purchase order) in the buyer reference (BT-10).',
	},
	{
		id: 'service-code-active',
		term: 'BT-10',
		check: 'A service code given is an active service of the buyer',
		message: '{name} has no active service "{value}"',
		hint: 'Its active services: {services}.',
	},
	{
		id: 'commitment-required',
		term: 'BT-13',
		check: 'A commitment number (EJ) is given when the buyer, or its service, requires one',
		message: '{name} requires a commitment number (BT-13), and the invoice has none',
		hint: 'Put the commitment number of the purchase order in the purchase order reference (BT-13).',
	},
	{
		id: 'service-or-commitment',
		term: 'BT-10',
		check: 'A service code or a commitment number is given when the buyer requires one of them',
		message:
			'{name} requires a service code (BT-10) or a commitment number (BT-13), and the invoice has neither',
		hint: 'Give at least one of them, from the purchase order.',
	},
	{
		id: 'supplier-structure',
		term: 'BT-29',
		check: 'The seller SIRET is one of the supplier structures of the technical account',
		message: 'The seller ({seller}) is not a supplier structure of your technical account',
		hint: 'Give the SIRET of your structure (schemeID 0009), or use the credential of the account attached to it. Your supplier structures: {structures}.',
	},
	{
		id: 'invoice-number-unused',
		term: 'BT-1',
		check: 'The invoice number was not used already by the seller (an invoice search by number)',
		message: 'The invoice number {value} is already used by invoice {invoiceId} ({status})',
		hint: 'An invoice number is used once per supplier: give the invoice a new number, or look at the invoice already sent.',
	},
] as const;

export const CHORUS_RULES: Rule[] = CHORUS_TABLE.map((row) => ({
	group: 'chorus',
	severity: 'error',
	...row,
}));

export type ChorusRuleId = (typeof CHORUS_TABLE)[number]['id'];
