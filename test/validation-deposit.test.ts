import type { IDataObject } from 'n8n-workflow';

import { TestInstance } from './engine/run';
import { admin, clearLog, requestsTo, resetSandbox, sandboxCredential } from './support/sandbox';
import { depositFile } from './support/invoices';

/**
 * Deposit File's "Validate Before Sending" (on by default): an invoice that is not valid is not
 * sent, and the item says why; off, the file is sent as before.
 */
const DEPOSIT = '/cpro/factures/v1/deposer/flux';

const deposit = depositFile;

const file = (data: Buffer | string, fileName: string) => ({
	binary: {
		data: {
			data: Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8'),
			fileName,
			mimeType: 'application/octet-stream',
		},
	},
});

let serial = 0;
const number = () => `VDP-${Date.now().toString(36).slice(-5)}-${++serial}`;

/** The EN 16931 UBL example 1 with a new number, its first line's net amount changed (BT-106 wrong). */
function wrongSum(): Buffer {
	const text = realWorldFixtures
		.read('ubl/ce_ubl-tc434-example1.xml')
		.toString('utf8')
		.replace('<cbc:ID>12115118</cbc:ID>', `<cbc:ID>${number()}</cbc:ID>`)
		.replace('currencyID="EUR">19.90<', 'currencyID="EUR">19.91<');
	return Buffer.from(text, 'utf8');
}
const valid = () => file(chorusFixtures.makeUblXml({ number: number() }), 'invoice.xml');
const invalid = () => file(wrongSum(), 'ubl-example-1.xml');

describe('Invoice > Deposit File > Validate Before Sending', () => {
	let n8n: TestInstance;

	beforeAll(async () => {
		await resetSandbox();
		await admin('/config', { fluxPollsToFinal: 0 });
		n8n = new TestInstance(sandboxCredential());
	});

	beforeEach(clearLog);

	it('is on by default: an invalid file stops the run before anything is sent, naming each problem', async () => {
		const { items, error } = await n8n.runChorusPro(deposit(), { items: [valid(), invalid()] });
		expect(items).toEqual([]);
		expect(error?.message).toBe('"ubl-example-1.xml" was not sent: 1 problem found in the invoice');
		expect(error?.description).toContain('ubl-example-1.xml (VDP-');
		expect(error?.description).toContain(
			'The line net amounts add up to 229.61, but the sum of lines (BT-106) is 229.60 [sum-of-lines, BT-106] Correct the lines or the total: Chorus Pro checks the totals against the lines.',
		);
		expect(error?.description).toMatch(
			/Nothing was sent\. Fix the file and run again, or turn off "Validate Before Sending"\.$/,
		);
		// Checked before the first item was sent: the valid file was not sent either.
		expect(await requestsTo(DEPOSIT)).toHaveLength(0);
	});

	it('under Continue On Fail, the invalid item comes out with its problems as data, the valid one is sent', async () => {
		const { items, error } = await n8n.runChorusPro(deposit(), {
			items: [valid(), invalid()],
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		expect(items[0].json.numeroFluxDepot).toEqual(expect.any(String));
		const failed = items[1].json as IDataObject & { validation: IDataObject[] };
		expect(failed.error).toBe('"ubl-example-1.xml" was not sent: 1 problem found in the invoice');
		expect(failed.description).toMatch(/sum-of-lines/);
		expect(failed.validation).toEqual([
			expect.objectContaining({
				valid: false,
				file: 'ubl-example-1.xml',
				syntax: 'IN_DP_E1_UBL_INVOICE',
				profile: 'EN 16931',
				errors: [
					expect.objectContaining({ rule: 'sum-of-lines', term: 'BT-106', value: '229.60' }),
				],
			}),
		]);
		expect(await requestsTo(DEPOSIT)).toHaveLength(1);
	});

	it('turned off, the file is sent as before', async () => {
		const { items, error } = await n8n.runChorusPro(deposit({ validateBeforeSending: false }), {
			items: [invalid()],
		});
		expect(error).toBeUndefined();
		expect(items[0].json.summary).toMatchObject({ syntax: 'IN_DP_E1_UBL_INVOICE' });
		const sent = await requestsTo(DEPOSIT);
		expect(sent).toHaveLength(1);
		expect((sent[0].body as IDataObject).nomFichier).toBe('ubl-example-1.xml');
	});

	it('checks every invoice of a batch: one invalid file keeps the whole batch back', async () => {
		const batch = chorusFixtures.makeZip([
			{ name: 'a.xml', data: chorusFixtures.makeUblXml({ number: number() }) },
			{ name: 'b.xml', data: wrongSum() },
		]);
		const { error } = await n8n.runChorusPro(deposit(), { items: [file(batch, 'lot.zip')] });
		expect(error?.message).toBe('"lot.zip" was not sent: 1 problem found in the invoice');
		expect(error?.description).toMatch(
			/^b\.xml \(VDP-[^)]+\): The line net amounts add up to 229\.61/,
		);
		expect(await requestsTo(DEPOSIT)).toHaveLength(0);
	});

	it('with Check Against Chorus Pro, an invoice to a buyer Chorus Pro does not know is not sent', async () => {
		const unknownBuyer = () =>
			file(
				chorusFixtures.makeUblXml({ number: number(), recipientSiret: '99999999999999' }),
				'invoice.xml',
			);
		const checked = await n8n.runChorusPro(deposit({ checkAgainstChorusPro: true }), {
			items: [unknownBuyer()],
		});
		expect(checked.error?.description).toMatch(
			/No Chorus Pro structure has the buyer SIRET 99999999999999 \[buyer-known, BT-46\]/,
		);
		expect(await requestsTo(DEPOSIT)).toHaveLength(0);
		// Off by default for deposits: the file goes, and Chorus Pro rejects it in its report.
		const sent = await n8n.runChorusPro(deposit(), { items: [unknownBuyer()] });
		expect(sent.error).toBeUndefined();
		expect(await requestsTo(DEPOSIT)).toHaveLength(1);
		expect(await requestsTo('/cpro/structures/v1/rechercher')).toHaveLength(1);
	});

	it('a retry does not check again a file an earlier try deposited: it returns that deposit', async () => {
		const again = valid();
		const parameters = deposit({ checkAgainstChorusPro: true });
		const first = await n8n.runChorusPro(parameters, { items: [again], mode: 'trigger' });
		expect(first.error).toBeUndefined();
		// The flux is processed at once: the invoice exists, its number is now used.
		const retried = await n8n.runChorusPro(parameters, { items: [again], mode: 'retry' });
		expect(retried.error).toBeUndefined();
		expect(retried.items[0].json).toMatchObject({ alreadySent: true });
		expect(await requestsTo(DEPOSIT)).toHaveLength(1);
	});
});
