import type { IDataObject } from 'n8n-workflow';

import type { FileRuleId } from '../nodes/ChorusPro/shared/validation/rules';
import { RULES } from '../nodes/ChorusPro/shared/validation/rules';
import { TestInstance } from './engine/run';
import { clearLog, loggedRequests, resetSandbox, sandboxCredential } from './support/sandbox';

/**
 * Every in-file rule of the table, proven on real files (test/fixtures/real-world/SOURCES.md): the
 * file as published passes the rule, and a copy with one field removed or changed fails with that
 * rule and no other.
 */
const UBL = 'ubl/ce_ubl-tc434-example1.xml';
const CII = 'cii/ce_CII_example1.xml';
const PDF = 'factur-x/itext-symtrax_MINIMUM_zugferd211-Rechnung.pdf';

type Mutation = (text: string) => string;

/** Replaces `from` (every match of a global RegExp) and fails when it is not in the file. */
const swap =
	(from: string | RegExp, to: string): Mutation =>
	(text) => {
		const found = typeof from === 'string' ? text.includes(from) : new RegExp(from).test(text);
		if (!found) throw new Error(`The mutation expects ${String(from)} in the file`);
		return text.replace(from, to);
	};
const all =
	(...mutations: Mutation[]): Mutation =>
	(text) =>
		mutations.reduce((current, mutation) => mutation(current), text);
const remove = (from: string | RegExp) => swap(from, '');
const afterSpecification = (element: string) =>
	swap(
		'<cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID>',
		`<cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID>${element}`,
	);
const sellerLegalId = (id: string) => swap('<ram:ID>57151520</ram:ID>', id);

const CASES: Record<FileRuleId, { base: string; mutate: Mutation }> = {
	'file-format': {
		base: UBL,
		mutate: all(swap('<Invoice ', '<Order '), swap('</Invoice>', '</Order>')),
	},
	'embedded-xml-unread': {
		// An unknown filter on the embedded XML's stream: the PDF still says Factur-X.
		base: PDF,
		mutate: swap('/Type/EmbeddedFile/', '/Type/EmbeddedFile/Filter/LZWDecode/'),
	},
	'xml-well-formed': { base: UBL, mutate: remove('</cbc:IssueDate>') },
	'xml-root': {
		base: CII,
		mutate: swap(/CrossIndustryInvoice:100/g, 'CrossIndustryInvoice:99'),
	},
	'xml-namespaces': {
		base: UBL,
		mutate: swap('CommonBasicComponents-2', 'CommonBasicComponents-3'),
	},
	'specification-id': {
		base: UBL,
		mutate: remove('<cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID>'),
	},
	'invoice-number': { base: CII, mutate: remove('<ram:ID>12115118</ram:ID>') },
	'issue-date': { base: UBL, mutate: remove('<cbc:IssueDate>2015-01-09</cbc:IssueDate>') },
	'type-code': {
		base: UBL,
		mutate: swap('<cbc:InvoiceTypeCode>380<', '<cbc:InvoiceTypeCode>999<'),
	},
	'type-code-chorus': {
		base: UBL,
		mutate: swap('<cbc:InvoiceTypeCode>380<', '<cbc:InvoiceTypeCode>393<'),
	},
	currency: {
		base: CII,
		mutate: swap('<ram:InvoiceCurrencyCode>EUR<', '<ram:InvoiceCurrencyCode>Euro<'),
	},
	'seller-name': { base: CII, mutate: remove('<ram:Name>De Koksmaat</ram:Name>') },
	'seller-id': {
		base: CII,
		mutate: all(
			remove(
				/<ram:SpecifiedLegalOrganization>\s*<ram:ID>57151520<\/ram:ID>\s*<\/ram:SpecifiedLegalOrganization>/,
			),
			remove(
				/<ram:SpecifiedTaxRegistration>\s*<ram:ID schemeID="VA">NL8200\.98\.395\.B\.01<\/ram:ID>\s*<\/ram:SpecifiedTaxRegistration>/,
			),
		),
	},
	'buyer-name': { base: CII, mutate: remove('<ram:Name>ODIN 59</ram:Name>') },
	'siret-format': { base: CII, mutate: sellerLegalId('<ram:ID schemeID="0009">5715152</ram:ID>') },
	'siren-format': {
		base: CII,
		mutate: sellerLegalId('<ram:ID schemeID="0002">FR57151520</ram:ID>'),
	},
	// 73442027438548 fails the Luhn check; so do SIRETs of the qualification test data sets.
	'siret-check-digit': {
		base: CII,
		mutate: sellerLegalId('<ram:ID schemeID="0009">73442027438548</ram:ID>'),
	},
	totals: {
		base: UBL,
		mutate: remove('<cbc:PayableAmount currencyID="EUR">250.33</cbc:PayableAmount>'),
	},
	'decimal-format': {
		base: UBL,
		mutate: swap(
			'<cbc:TaxExclusiveAmount currencyID="EUR">229.60<',
			'<cbc:TaxExclusiveAmount currencyID="EUR">229,60<',
		),
	},
	'vat-breakdown': { base: UBL, mutate: remove(/<cac:TaxSubtotal>[\s\S]*?<\/cac:TaxSubtotal>/g) },
	lines: { base: UBL, mutate: remove(/<cac:InvoiceLine>[\s\S]*?<\/cac:InvoiceLine>/g) },
	'line-terms': { base: UBL, mutate: remove('<cbc:Name>PATAT FRITES 10MM 10KG</cbc:Name>') },
	'sum-of-lines': {
		base: UBL,
		mutate: swap(
			'<cbc:LineExtensionAmount currencyID="EUR">19.90<',
			'<cbc:LineExtensionAmount currencyID="EUR">19.91<',
		),
	},
	'total-without-vat': {
		base: UBL,
		mutate: swap(
			'<cbc:TaxExclusiveAmount currencyID="EUR">229.60</cbc:TaxExclusiveAmount>',
			'<cbc:TaxExclusiveAmount currencyID="EUR">229.60</cbc:TaxExclusiveAmount><cbc:AllowanceTotalAmount currencyID="EUR">10.00</cbc:AllowanceTotalAmount>',
		),
	},
	'total-with-vat': { base: UBL, mutate: swap(/">250\.33</g, '">251.33<') },
	'amount-due': {
		base: UBL,
		mutate: swap(
			'<cbc:PayableAmount currencyID="EUR">250.33<',
			'<cbc:PayableAmount currencyID="EUR">250.00<',
		),
	},
	'vat-per-rate': {
		base: UBL,
		mutate: swap('<cbc:Percent>21</cbc:Percent>', '<cbc:Percent>20</cbc:Percent>'),
	},
	'vat-total': {
		base: UBL,
		mutate: all(
			swap('<cbc:TaxAmount currencyID="EUR">20.73<', '<cbc:TaxAmount currencyID="EUR">21.73<'),
			swap(/">250\.33</g, '">251.33<'),
		),
	},
	'date-format': {
		base: UBL,
		mutate: swap('<cbc:DueDate>2015-01-09<', '<cbc:DueDate>2015-02-30<'),
	},
	'issue-date-future': {
		base: UBL,
		mutate: swap('<cbc:IssueDate>2015-01-09<', '<cbc:IssueDate>2999-01-09<'),
	},
	'invoicing-frame': {
		base: UBL,
		mutate: afterSpecification('<cbc:ProfileID>A26</cbc:ProfileID>'),
	},
	'invoicing-frame-other': {
		base: UBL,
		mutate: afterSpecification('<cbc:ProfileID>urn:example:process</cbc:ProfileID>'),
	},
};

const validate = {
	resource: 'invoice',
	operation: 'validate',
	binaryPropertyName: 'data',
	checkAgainstChorusPro: false,
};

const item = (data: Buffer, fileName: string) => ({
	binary: { data: { data, fileName, mimeType: 'application/octet-stream' } },
});
const bytesOf = (file: string, mutate: Mutation = (text) => text) =>
	Buffer.from(mutate(realWorldFixtures.read(file).toString('latin1')), 'latin1');

interface Finding {
	rule: string;
	term: string | null;
	path: string;
	value: string | null;
	message: string;
	hint: string;
}
type Report = IDataObject & { valid: boolean; errors: Finding[]; warnings: Finding[] };

const fileRules = RULES.filter((rule) => rule.group === 'file');

describe('Validation rules in the file, one real file mutated per rule', () => {
	let n8n: TestInstance;
	let bases: Record<string, Report>;
	let mutated: Record<string, Report>;

	beforeAll(async () => {
		await resetSandbox();
		n8n = new TestInstance(sandboxCredential());
		await clearLog();
		const baseFiles = [UBL, CII, PDF];
		const ids = Object.keys(CASES) as FileRuleId[];
		const { items, error } = await n8n.runChorusPro(validate, {
			items: [
				...baseFiles.map((file) => item(bytesOf(file), file.split('/')[1])),
				...ids.map((id) =>
					item(bytesOf(CASES[id].base, CASES[id].mutate), CASES[id].base.split('/')[1]),
				),
			],
		});
		expect(error).toBeUndefined();
		const reports = items.map((output) => output.json as Report);
		expect(reports).toHaveLength(baseFiles.length + ids.length);
		bases = Object.fromEntries(baseFiles.map((file, index) => [file, reports[index]]));
		mutated = Object.fromEntries(ids.map((id, index) => [id, reports[baseFiles.length + index]]));
	});

	it('has a case for every in-file rule of the table, and nothing was sent to Chorus Pro', async () => {
		expect(Object.keys(CASES).sort()).toEqual(fileRules.map((rule) => rule.id).sort());
		expect((await loggedRequests()).filter((request) => request.path.startsWith('/cpro/'))).toEqual(
			[],
		);
	});

	it('the real files as published have no error', () => {
		for (const report of Object.values(bases))
			expect(report).toMatchObject({ valid: true, errors: [] });
	});

	it.each(fileRules.map((rule) => [rule.id, rule.severity]))(
		'%s: the real file passes, the mutated copy fails with that rule only (%s)',
		(id, severity) => {
			const rule = fileRules.find((candidate) => candidate.id === id)!;
			const base = bases[CASES[id as FileRuleId].base];
			const report = mutated[id];
			expect([...base.errors, ...base.warnings].map((finding) => finding.rule)).not.toContain(id);
			const known = new Set(base.warnings.map((finding) => finding.rule));
			const found =
				severity === 'error' ? report.errors : report.warnings.filter((w) => !known.has(w.rule));
			expect(new Set(found.map((finding) => finding.rule))).toEqual(new Set([id]));
			if (severity === 'warning') expect(report).toMatchObject({ valid: true, errors: [] });
			else expect(report.valid).toBe(false);
			for (const finding of found) {
				expect(Object.keys(finding).sort()).toEqual([
					'hint',
					'message',
					'path',
					'rule',
					'term',
					'value',
				]);
				expect(finding.path).toMatch(/\S/);
				expect(`${finding.message} ${finding.hint}`).not.toMatch(/\{\w+\}/);
				if (rule.term) expect(finding.term).toMatch(/^B[TG]-\d+$/);
			}
		},
	);
});
