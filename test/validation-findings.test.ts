import type { IDataObject } from 'n8n-workflow';

import { TestInstance } from './engine/run';
import { resetSandbox, sandboxCredential } from './support/sandbox';

/**
 * What a finding of Invoice > Validate File says, on real files (test/fixtures/real-world/) with
 * one field changed: the term, the path in the file, the value found, a message and a hint.
 */
const UBL = 'ubl/ce_ubl-tc434-example1.xml';
const CII = 'cii/ce_CII_example1.xml';
const PDF = 'factur-x/itext-symtrax_MINIMUM_zugferd211-Rechnung.pdf';

const validate = {
	resource: 'invoice',
	operation: 'validate',
	binaryPropertyName: 'data',
	checkAgainstChorusPro: false,
};

/** A real file with `from` replaced by `to` (which must be there). */
function changed(file: string, from = '', to = ''): Buffer {
	const text = realWorldFixtures.read(file).toString('latin1');
	expect(text).toContain(from);
	return Buffer.from(text.replace(from, to), 'latin1');
}
const item = (data: Buffer, fileName: string) => ({
	binary: { data: { data, fileName, mimeType: 'application/octet-stream' } },
});
const specification = '<cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID>';

type Report = IDataObject & { errors: IDataObject[] };

describe('Invoice > Validate File: what a finding says', () => {
	let n8n: TestInstance;

	beforeAll(async () => {
		await resetSandbox();
		n8n = new TestInstance(sandboxCredential());
	});

	const run = async (files: Array<[Buffer, string]>) => {
		const { items, error } = await n8n.runChorusPro(validate, {
			items: files.map(([data, name]) => item(data, name)),
		});
		expect(error).toBeUndefined();
		return items.map((output) => output.json as Report);
	};

	it('names the term, the path in the file, the value, and words the message and hint', async () => {
		const [sum, rate, siret, xml, date, line] = await run([
			[changed(UBL, 'currencyID="EUR">19.90<', 'currencyID="EUR">19.91<'), 'a.xml'],
			[changed(UBL, '<cbc:Percent>21</cbc:Percent>', '<cbc:Percent>20</cbc:Percent>'), 'b.xml'],
			[
				changed(CII, '<ram:ID>57151520</ram:ID>', '<ram:ID schemeID="0009">5715152</ram:ID>'),
				'c.xml',
			],
			[changed(UBL, '</cbc:IssueDate>'), 'd.xml'],
			[changed(UBL, '<cbc:IssueDate>2015-01-09</cbc:IssueDate>'), 'e.xml'],
			[changed(UBL, '<cbc:Name>PATAT FRITES 10MM 10KG</cbc:Name>'), 'f.xml'],
		]);
		expect(sum.errors).toEqual([
			{
				rule: 'sum-of-lines',
				term: 'BT-106',
				path: '/Invoice/cac:LegalMonetaryTotal/cbc:LineExtensionAmount',
				value: '229.60',
				message: 'The line net amounts add up to 229.61, but the sum of lines (BT-106) is 229.60',
				hint: 'Correct the lines or the total: Chorus Pro checks the totals against the lines.',
			},
		]);
		expect(rate.errors[0]).toMatchObject({
			term: 'BT-117',
			path: '/Invoice/cac:TaxTotal/cac:TaxSubtotal[2]/cbc:TaxAmount',
			value: '9.74',
			message: 'The VAT at 20 % is 9.74, but 46.37 × 20 % = 9.27',
		});
		expect(siret.errors[0]).toMatchObject({
			term: 'BT-30',
			path: '/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID',
			value: '5715152',
		});
		expect(xml.errors[0]).toMatchObject({
			path: 'line 530, column 1',
			message:
				'The XML is not well-formed: the element "cbc:IssueDate" is closed by "</Invoice>" (line 530, column 1)',
		});
		expect(date.errors[0]).toMatchObject({
			term: 'BT-2',
			path: '/Invoice/cbc:IssueDate',
			value: null,
		});
		expect(line.errors[0]).toMatchObject({
			path: '/Invoice/cac:InvoiceLine[1]/cac:Item/cbc:Name',
			message: 'Line 1 has no item name (BT-153)',
		});
	});

	it('says which file, syntax and profile each report is about', async () => {
		const [pdf, ubl, cii] = await run([
			[changed(PDF), 'itext-symtrax_MINIMUM_zugferd211-Rechnung.pdf'],
			[changed(UBL), 'ubl.xml'],
			[changed(CII), 'cii.xml'],
		]);
		expect(pdf).toMatchObject({
			file: 'itext-symtrax_MINIMUM_zugferd211-Rechnung.pdf',
			syntax: 'IN_DP_E2_CII_FACTURX',
			profile: 'MINIMUM',
			invoiceNumber: '471102',
			checkedAgainstChorusPro: false,
		});
		expect(ubl).toMatchObject({ syntax: 'IN_DP_E1_UBL_INVOICE', profile: 'EN 16931' });
		expect(cii).toMatchObject({ syntax: 'IN_DP_E1_CII_16B', profile: 'EN 16931' });
	});

	it('takes the invoicing frames Chorus Pro knows, by code or by name', async () => {
		const frames = ['A1', 'A2', 'A9', 'A12_FACTURE_COTRAITANT', 'A25'];
		const reports = await run(
			frames.map((frame) => [
				changed(UBL, specification, `${specification}<cbc:ProfileID>${frame}</cbc:ProfileID>`),
				'invoice.xml',
			]),
		);
		for (const report of reports)
			expect(report).toMatchObject({ valid: true, errors: [], warnings: [] });
	});
});
