import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { contentKey } from '../nodes/ChorusPro/shared/sentOnce';
import { TestInstance } from './engine/run';
import {
	admin,
	clearLog,
	injectFault,
	loggedRequests,
	requestsTo,
	resetSandbox,
	sandboxCredential,
} from './support/sandbox';
import { depositFile } from './support/invoices';

/**
 * Nothing is sent twice: every item is checked before the first is sent, and a write already
 * made (recorded in the workflow's static data) is not made again by Retry On Fail or by a retry
 * of a failed execution.
 */
const deposit = (options: INodeParameters = {}) => depositFile({ options });

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
const number = () => `ONCE-${Date.now().toString(36).slice(-5)}-${++serial}`;
const ubl = () => file(chorusFixtures.makeUblXml({ number: number() }), 'invoice.xml');

const DEPOSIT = '/cpro/factures/v1/deposer/flux';
/** How many times each file content reached deposer/flux. */
const depositsPerFile = async () =>
	(await requestsTo(DEPOSIT)).map((request) => (request.body as IDataObject).fichierFlux);

describe('Nothing is sent twice', () => {
	beforeAll(resetSandbox);
	beforeEach(clearLog);

	it('checks every item before the first is sent: a bad item stops the run with nothing sent', async () => {
		const n8n = new TestInstance(sandboxCredential());
		const { error, items } = await n8n.runChorusPro(deposit(), {
			items: [ubl(), file('not an invoice', 'notes.txt')],
			maxTries: 3,
		});
		expect(items).toEqual([]);
		expect(error?.message).toBe(
			'The format of "notes.txt" could not be detected: it is neither a PDF, an XML file, a zip nor a tar.gz archive',
		);
		expect(await requestsTo(DEPOSIT)).toHaveLength(0);

		// Under Continue On Fail the good item goes, the bad one is an error item.
		const continued = await n8n.runChorusPro(deposit(), {
			items: [ubl(), file('not an invoice', 'notes.txt')],
			continueOnFail: true,
		});
		expect(continued.items.map((item) => item.json.error ?? 'sent')).toEqual([
			'sent',
			expect.stringMatching(/^The format of "notes.txt" could not be detected/),
		]);
		expect(await requestsTo(DEPOSIT)).toHaveLength(1);
	});

	it('items checked in parallel: the first bad item stops the run, even when a later one fails sooner', async () => {
		const n8n = new TestInstance(sandboxCredential());
		// Item 1, a zip whose last file is not an invoice, is unpacked file by file (each waits on
		// the platform's decompression) before it fails; item 2 fails at once. The run still stops
		// on item 1, as if they had been checked one after the other.
		const lot = chorusFixtures.makeZip([
			...Array.from({ length: 40 }, (_, index) => ({
				name: `invoice-${index}.xml`,
				data: chorusFixtures.makeUblXml({ number: number() }),
			})),
			{ name: 'notes.txt', data: 'not an invoice' },
		]);
		const badLot = file(lot, 'lot.zip');
		const batch = [ubl(), badLot, file('not an invoice', 'notes.txt'), ubl()];
		const { error, items } = await n8n.runChorusPro(deposit(), { items: batch });
		expect(items).toEqual([]);
		expect(error?.message).toMatch(/lot\.zip/);
		expect((error?.context as IDataObject).itemIndex).toBe(1);
		expect(await requestsTo(DEPOSIT)).toHaveLength(0);

		// Under Continue On Fail every bad item is an error item at its place, and the good ones go.
		const continued = await n8n.runChorusPro(deposit(), { items: batch, continueOnFail: true });
		expect(continued.items.map((item) => (item.json.error ? 'error' : 'sent'))).toEqual([
			'sent',
			'error',
			'error',
			'sent',
		]);
		expect(continued.items.map((item) => item.pairedItem)).toEqual(
			batch.map((_, item) => ({ item })),
		);
		expect(await requestsTo(DEPOSIT)).toHaveLength(2);
	});

	it('Retry On Fail over a batch whose second deposit is refused sends the first file once', async () => {
		const n8n = new TestInstance(sandboxCredential());
		const first = ubl();
		// The second deposit of each try is refused by the gateway (a definite refusal).
		await injectFault({
			path: DEPOSIT,
			after: 1,
			count: 3,
			status: 400,
			body: { codeRetour: 20001, libelle: 'Refus de test' },
		});
		const { error } = await n8n.runChorusPro(deposit(), {
			items: [first, ubl()],
			maxTries: 3,
		});
		expect(error?.message).toMatch(/Refus de test/);
		const sent = await depositsPerFile();
		const firstContent = first.binary.data.data.toString('base64');
		// First try: both sent, the second refused; tries 2 and 3 send only the refused one again.
		expect(sent.filter((content) => content === firstContent)).toHaveLength(1);
		expect(sent).toHaveLength(4);
	});

	it('a deposit that may have reached Chorus Pro is not sent again by Retry On Fail', async () => {
		const n8n = new TestInstance(sandboxCredential());
		await injectFault({ path: DEPOSIT, count: 1, status: 502 });
		const { error } = await n8n.runChorusPro(deposit(), { items: [ubl()], maxTries: 3 });
		expect(error?.message).toBe(
			'An earlier try of this item may have reached Chorus Pro, so it is not sent again',
		);
		expect(error?.description).toMatch(/Chorus Pro is unavailable \(HTTP 502\).*Send Again/);
		expect(await requestsTo(DEPOSIT)).toHaveLength(1);
	});

	it('a retry of a failed execution returns the earlier flux number, marked, and sends the rest', async () => {
		const n8n = new TestInstance(sandboxCredential());
		const batch = [ubl(), ubl()];
		await injectFault({
			path: DEPOSIT,
			after: 1,
			count: 1,
			status: 400,
			body: { codeRetour: 20001, libelle: 'Refus de test' },
		});
		const failed = await n8n.runChorusPro(deposit(), { items: batch, mode: 'trigger' });
		expect(failed.error).toBeDefined();
		const [firstFlux] = (await requestsTo(DEPOSIT)).map(
			(request) => request.status === 200 && request,
		);
		expect(firstFlux).toBeTruthy();

		const retried = await n8n.runChorusPro(deposit(), { items: batch, mode: 'retry' });
		expect(retried.error).toBeUndefined();
		expect(retried.items.map((item) => item.json.alreadySent ?? false)).toEqual([true, false]);
		expect(retried.items[0].json.alreadySentAt).toEqual(expect.any(String));
		const fluxNumbers = (await loggedRequests())
			.filter((request) => request.path === DEPOSIT && request.status === 200)
			.map((request) => request.seq);
		expect(fluxNumbers).toHaveLength(2);
		expect(await depositsPerFile()).toEqual(
			[0, 1, 1].map((index) => batch[index].binary.data.data.toString('base64')),
		);

		// Asked explicitly, the file is sent again.
		await clearLog();
		const again = await n8n.runChorusPro(deposit({ sendAgain: true }), {
			items: [batch[0]],
			mode: 'retry',
		});
		expect(again.items[0].json.alreadySent).toBeUndefined();
		expect(await requestsTo(DEPOSIT)).toHaveLength(1);
	});

	it('manual runs in the editor keep nothing between runs: the same file can be tried again', async () => {
		const n8n = new TestInstance(sandboxCredential());
		const same = ubl();
		await n8n.runChorusPro(deposit(), { items: [same] });
		const second = await n8n.runChorusPro(deposit(), { items: [same] });
		expect(second.items[0].json.alreadySent).toBeUndefined();
		expect(await requestsTo(DEPOSIT)).toHaveLength(2);
	});

	it('Submit: Retry On Fail uploads and submits an invoice once', async () => {
		const n8n = new TestInstance(sandboxCredential());
		const submit = (invoiceNumber: string): INodeParameters => ({
			resource: 'invoice',
			operation: 'submit',
			submitMode: 'pdf',
			binaryPropertyName: 'data',
			pdfFormat: 'PDF_NON_SIGNE',
			supplierStructure: 26300989,
			recipient: { __rl: true, mode: 'siret', value: '00000000012887' },
			serviceCode: '',
			commitmentNumber: '',
			invoiceNumber,
			invoiceDate: '2026-11-20',
			invoiceType: 'FACTURE',
			lines: {},
			totals: { totalExclTax: 100, totalVat: 20 },
			additionalFields: {},
		});
		const pdfItem = {
			json: {},
			binary: {
				data: {
					data: chorusFixtures.makeInvoicePdf({ number: 'PDF-ONCE' }),
					fileName: 'facture.pdf',
					mimeType: 'application/pdf',
				},
			},
		};
		// The node runs its parameters per item: one invoice number per item through an expression.
		const numbers = [number(), number()];
		await injectFault({ path: '/cpro/factures/v1/soumettre', after: 1, count: 3, status: 503 });
		const { error } = await n8n.runChorusPro(
			{ ...submit('={{ $json.invoiceNumber }}') },
			{
				items: numbers.map((invoiceNumber) => ({ ...pdfItem, json: { invoiceNumber } })),
				maxTries: 3,
			},
		);
		expect(error?.message).toBe(
			'An earlier try of this item may have reached Chorus Pro, so it is not sent again',
		);
		const submitted = (await requestsTo('/cpro/factures/v1/soumettre')).map(
			(request) => (request.body as IDataObject).numeroFactureSaisi,
		);
		expect(submitted).toEqual(numbers);
		expect(await requestsTo('/cpro/factures/v1/deposer/pdf')).toHaveLength(2);
	});

	it('Received Invoice > Process: a status is set once across retries', async () => {
		const buyer = new TestInstance(sandboxCredential({}, 'recipient'));
		const { firstId } = await admin<{ firstId: number }>('/invoices/bulk', {
			count: 2,
			statut: 'MISE_A_DISPOSITION',
			destinataireSiret: '00000000012887',
			prefix: 'ONCE-RCV-',
		});
		const ids = [firstId, firstId + 1];
		await clearLog();
		await injectFault({
			path: '/cpro/factures/v1/traiter/recue',
			after: 1,
			count: 3,
			status: 400,
			body: { codeRetour: 1, libelle: 'Refus' },
		});
		const { error } = await buyer.runChorusPro(
			{
				resource: 'receivedInvoice',
				operation: 'process',
				invoiceId: '={{ $json.id }}',
				newStatus: 'SERVICE_FAIT',
				reason: '',
				options: {},
			},
			{ items: ids.map((id) => ({ json: { id } })), maxTries: 3 },
		);
		expect(error?.message).toMatch(/Refus/);
		const processed = (await requestsTo('/cpro/factures/v1/traiter/recue')).map(
			(request) => (request.body as IDataObject).idFacture,
		);
		expect(processed).toEqual([ids[0], ids[1], ids[1], ids[1]]);
	});
});

describe('Numeric settings are checked, from the editor and from expressions', () => {
	beforeAll(resetSandbox);
	beforeEach(clearLog);

	it.each([
		['pollInterval', 0, '"Poll Interval (Seconds)" must be a number from 1 to 3600, not 0'],
		['pollInterval', 'abc', '"Poll Interval (Seconds)" must be a number from 1 to 3600, not "abc"'],
		['pollInterval', -5, '"Poll Interval (Seconds)" must be a number from 1 to 3600, not -5'],
		['timeout', 0, '"Timeout (Seconds)" must be a number from 1 to 86400, not 0'],
		['timeout', '={{ "abc" }}', '"Timeout (Seconds)" must be a number from 1 to 86400, not "abc"'],
		['timeout', '={{ -1 }}', '"Timeout (Seconds)" must be a number from 1 to 86400, not -1'],
	])('Deposit File refuses %s = %p before sending anything', async (option, value, message) => {
		const n8n = new TestInstance(sandboxCredential());
		const { error } = await n8n.runChorusPro(
			{ ...deposit({ [option]: value }), waitForProcessing: true },
			{ items: [ubl()] },
		);
		expect(error?.message).toBe(message);
		expect(error?.description).toMatch(/between 1 and/);
		expect(await loggedRequests()).toEqual([]);
	});

	it('the ledger keeps the last 1,000 writes of 30 days at most, in the order written; older ones are forgotten', async () => {
		const n8n = new TestInstance(sandboxCredential());
		const day = 24 * 3600_000;
		const at = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();
		const entry = (msAgo: number) => ({
			at: at(msAgo),
			state: 'sent',
			result: { numeroFluxDepot: 'X' },
		});
		const forgotten = ubl();
		const sent: Record<string, unknown> = {};
		// 31 days old: the same file as `forgotten`, then five other old writes and 998 recent ones.
		const key = contentKey('deposit', forgotten.binary.data.data);
		sent[key] = entry(31 * day);
		for (let n = 0; n < 5; n++) sent[`old-${n}`] = entry(31 * day);
		for (let n = 0; n < 998; n++) sent[`recent-${n}`] = entry(day - n);
		n8n.savedStaticData = { 'node:Chorus Pro': { sent } };

		const run = await n8n.runChorusPro(deposit(), { items: [forgotten, ubl()], mode: 'trigger' });
		expect(run.error).toBeUndefined();
		// Older than 30 days, the earlier write no longer counts: the file is sent.
		expect(run.items.map((item) => item.json.alreadySent ?? false)).toEqual([false, false]);
		expect(await requestsTo(DEPOSIT)).toHaveLength(2);

		const kept = Object.keys(
			(n8n.savedStaticData['node:Chorus Pro'] as IDataObject).sent as IDataObject,
		);
		expect(kept).toHaveLength(1000);
		expect(kept.filter((name) => name.startsWith('old-'))).toEqual([]);
		// The two new writes come last, in the order written.
		expect(kept.slice(0, 2)).toEqual(['recent-0', 'recent-1']);
		expect(kept[998]).toBe(key);
		expect(kept[999]).toMatch(/^deposit:/);
	});
});
