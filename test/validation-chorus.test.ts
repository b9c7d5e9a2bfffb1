import type { IDataObject } from 'n8n-workflow';

import type { ChorusRuleId } from '../nodes/ChorusPro/shared/validation/rules-chorus';
import { RULES } from '../nodes/ChorusPro/shared/validation/rules';
import { TestInstance } from './engine/run';
import { admin, clearLog, requestsTo, resetSandbox, sandboxCredential } from './support/sandbox';

/**
 * The rules checked against Chorus Pro, on a real UBL invoice (EN 16931 example 1) whose parties
 * are set to structures of the sandbox (sandbox/seed.mjs): the supplier of the technical
 * account and public buyers with and without requirements.
 */
const SUPPLIER = '73442027438548';
const BUYER = '00000000012887';

interface Parties {
	buyer?: string;
	buyerScheme?: string;
	seller?: string;
	service?: string;
	commitment?: string;
	number?: string;
}

let serial = 0;
const uniqueNumber = () => `VAL-${Date.now().toString(36).slice(-5)}-${++serial}`;

/** EN 16931 example 1 with the given parties, references and number. */
function invoice(parties: Parties = {}): Buffer {
	const { buyer = BUYER, buyerScheme = '0009', seller = SUPPLIER } = parties;
	const references =
		(parties.service ? `<cbc:BuyerReference>${parties.service}</cbc:BuyerReference>` : '') +
		(parties.commitment
			? `<cac:OrderReference><cbc:ID>${parties.commitment}</cbc:ID></cac:OrderReference>`
			: '');
	const replacements: Array<[string, string]> = [
		['<cbc:ID>12115118</cbc:ID>', `<cbc:ID>${parties.number ?? uniqueNumber()}</cbc:ID>`],
		[
			'<cbc:CompanyID>57151520</cbc:CompanyID>',
			`<cbc:CompanyID schemeID="0009">${seller}</cbc:CompanyID>`,
		],
		['<cbc:ID>10202</cbc:ID>', `<cbc:ID schemeID="${buyerScheme}">${buyer}</cbc:ID>`],
		[
			'<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>',
			`<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>${references}`,
		],
	];
	let text = realWorldFixtures.read('ubl/ce_ubl-tc434-example1.xml').toString('utf8');
	for (const [from, to] of replacements) {
		expect(text).toContain(from);
		text = text.replace(from, to);
	}
	return Buffer.from(text, 'utf8');
}

const CASES: Record<ChorusRuleId, Parties> = {
	'buyer-siret': { buyer: '000000000', buyerScheme: '0002' },
	'buyer-known': { buyer: '99999999999999' },
	'buyer-active': { buyer: '12345678200077' },
	// The supplier's own structure is a private one.
	'buyer-public': { buyer: SUPPLIER },
	'service-code-required': { buyer: '12345678200028' },
	'service-code-active': { buyer: '12345678200028', service: 'SERVICE_INACTIF' },
	'commitment-required': { buyer: '12345678200036' },
	'service-or-commitment': { buyer: '12345678200044' },
	'supplier-structure': { seller: '12345678200051' },
	'invoice-number-unused': { number: 'VALDUP000001' },
};

/** Invoices each buyer takes: what its requirements ask for, given. */
const PASSING: Parties[] = [
	{},
	{ buyer: '12345678200028', service: 'SERVICE_DEST_SERV_OBL' },
	{ buyer: '12345678200036', commitment: 'EJ-OBL-0001' },
	{ buyer: '12345678200044', commitment: 'EJ-OU-SERV-0001' },
	{ buyer: '12345678200044', service: 'SERVICE_DEST_EJ_OU_SERV' },
	{ buyer: '12345678200069', service: 'SERVICE_ETAT', commitment: 'EJ-ETAT-0001' },
	{ buyer: '12345678200051', buyerScheme: '0002' },
];

const validate = (checkAgainstChorusPro = true) => ({
	resource: 'invoice',
	operation: 'validate',
	binaryPropertyName: 'data',
	checkAgainstChorusPro,
});
const item = (data: Buffer) => ({
	binary: { data: { data, fileName: 'invoice.xml', mimeType: 'application/xml' } },
});

interface Finding extends IDataObject {
	rule: string;
	message: string;
	hint: string;
}
type Report = IDataObject & { valid: boolean; errors: Finding[] };

describe('Validation rules against Chorus Pro (sandbox)', () => {
	let n8n: TestInstance;

	beforeAll(async () => {
		await resetSandbox();
		n8n = new TestInstance(sandboxCredential());
		// An invoice of the supplier already numbered VALDUP000001.
		await admin('/invoices/bulk', { count: 1, prefix: 'VALDUP' });
	});

	beforeEach(clearLog);

	it('has a case for every rule of the table checked against Chorus Pro', () => {
		const chorusRules = RULES.filter((rule) => rule.group === 'chorus').map((rule) => rule.id);
		expect(Object.keys(CASES).sort()).toEqual(chorusRules.sort());
	});

	it('passes invoices that give each buyer what it requires', async () => {
		const { items, error } = await n8n.runChorusPro(validate(), {
			items: PASSING.map((p) => item(invoice(p))),
		});
		expect(error).toBeUndefined();
		for (const output of items)
			expect(output.json).toMatchObject({ valid: true, errors: [], checkedAgainstChorusPro: true });
	});

	it.each(Object.entries(CASES))('%s: fails with that rule only', async (id, parties) => {
		const { items, error } = await n8n.runChorusPro(validate(), {
			items: [item(invoice(parties))],
		});
		expect(error).toBeUndefined();
		const report = items[0].json as Report;
		expect(report.valid).toBe(false);
		expect(report.errors.map((finding) => finding.rule)).toEqual([id]);
		expect(`${report.errors[0].message} ${report.errors[0].hint}`).not.toMatch(/\{\w+\}/);
	});

	it('words what Chorus Pro says in plain English, with the path in the file', async () => {
		const run = async (parties: Parties) =>
			(
				(await n8n.runChorusPro(validate(), { items: [item(invoice(parties))] })).items[0]
					.json as Report
			).errors[0];
		expect(await run(CASES['service-code-active'])).toEqual({
			rule: 'service-code-active',
			term: 'BT-10',
			path: '/Invoice/cbc:BuyerReference',
			value: 'SERVICE_INACTIF',
			message: 'Destinataire avec service obligatoire has no active service "SERVICE_INACTIF"',
			hint: 'Its active services: FACTURES_PUBLIQUES, SERVICE_DEST_SERV_OBL, SERVICE_EJ_OBL.',
		});
		expect(await run(CASES['commitment-required'])).toMatchObject({
			term: 'BT-13',
			path: '/Invoice/cac:OrderReference/cbc:ID',
			value: null,
			message:
				'Destinataire avec EJ obligatoire requires a commitment number (BT-13), and the invoice has none',
		});
		expect(await run({ buyer: '12345678200028', service: 'SERVICE_EJ_OBL' })).toMatchObject({
			rule: 'commitment-required',
			message:
				'The service "SERVICE_EJ_OBL" of Destinataire avec service obligatoire requires a commitment number (BT-13), and the invoice has none',
		});
		expect(await run(CASES['supplier-structure'])).toMatchObject({
			term: 'BT-30',
			path: '/Invoice/cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID',
			value: '12345678200051',
			hint: expect.stringContaining(`Your supplier structures: ${SUPPLIER}.`),
		});
		expect(await run(CASES['invoice-number-unused'])).toMatchObject({
			term: 'BT-1',
			value: 'VALDUP000001',
			message: expect.stringMatching(
				/^The invoice number VALDUP000001 is already used by invoice \d+ \([A-Z_]+\)$/,
			),
		});
	});

	it('looks each buyer up once per run, and its services once, whatever the number of invoices', async () => {
		const parties = { buyer: '12345678200028', service: 'SERVICE_DEST_SERV_OBL' };
		const { items } = await n8n.runChorusPro(validate(), {
			items: [invoice(parties), invoice(parties), invoice(parties), invoice({})].map(item),
		});
		expect(items.map((output) => output.json.valid)).toEqual([true, true, true, true]);
		expect(await requestsTo('/cpro/structures/v1/rechercher')).toHaveLength(2);
		expect(await requestsTo('/cpro/structures/v1/consulter')).toHaveLength(2);
		expect(await requestsTo('/cpro/structures/v1/rechercher/services')).toHaveLength(1);
		expect(
			await requestsTo('/cpro/transverses/v1/recuperer/structures/actives/fournisseur'),
		).toHaveLength(1);
		// The invoice number is searched for each invoice, and nothing is written.
		expect(await requestsTo('/cpro/factures/v1/rechercher/fournisseur')).toHaveLength(4);
		const writes = (await requestsTo('/cpro/factures/v1/deposer/flux')).length;
		expect(writes).toBe(0);
	});

	it('checks against Chorus Pro by default', async () => {
		const { resource, operation, binaryPropertyName } = validate();
		const { items } = await n8n.runChorusPro(
			{ resource, operation, binaryPropertyName },
			{ items: [item(invoice(CASES['buyer-known']))] },
		);
		expect(items[0].json).toMatchObject({ valid: false, checkedAgainstChorusPro: true });
	});

	it('with Check Against Chorus Pro off, calls nothing', async () => {
		const { items } = await n8n.runChorusPro(validate(false), {
			items: [item(invoice(CASES['buyer-known']))],
		});
		expect(items[0].json).toMatchObject({
			valid: true,
			errors: [],
			checkedAgainstChorusPro: false,
		});
		expect((await requestsTo('/cpro/structures/v1/rechercher')).length).toBe(0);
	});
});
