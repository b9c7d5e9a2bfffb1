import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { TestInstance } from './engine/run';
import { depositFile, number, recipient, submitByFields } from './support/invoices';
import { beforeRequest } from './support/between-requests';
import {
	admin,
	clearLog,
	injectFault,
	requestsTo,
	resetSandbox,
	sandboxCredential,
} from './support/sandbox';

/**
 * Items in parallel: several items at once, with the output in the items' order and pairing, one
 * token for all, one back-off for all on a 429, and writes still sent once.
 */
const GET = '/cpro/factures/v1/consulter/fournisseur';
const DEPOSIT = '/cpro/factures/v1/deposer/flux';
const LOOKUP = '/cpro/structures/v1/consulter';
const TOKEN_PATH = new URL(chorusSandbox.tokenUrl).pathname;

const getInvoice = (concurrency?: number): INodeParameters => ({
	resource: 'invoice',
	operation: 'get',
	invoiceId: '={{ $json.id }}',
	...(concurrency ? { concurrency } : {}),
});

/** A UBL invoice file numbered after `prefix`, as an input item. */
const ublFile = (prefix: string) => ({
	binary: {
		data: {
			data: Buffer.from(chorusFixtures.makeUblXml({ number: `${prefix}-${Date.now() % 100000}` })),
			fileName: 'invoice.xml',
			mimeType: 'application/xml',
		},
	},
});

describe('Items in parallel', () => {
	let ids: number[];

	beforeEach(async () => {
		await resetSandbox();
		// Each answer takes 50 ms, so requests sent at once are seen at once.
		await admin('/config', { latencyMs: 50 });
		const { firstId } = await admin<{ firstId: number }>('/invoices/bulk', {
			count: 12,
			statut: 'MISE_A_DISPOSITION',
			prefix: 'PAR-',
		});
		ids = Array.from({ length: 12 }, (_, index) => firstId + index);
		await clearLog();
	});

	it('sends up to "Items in Parallel" items at once, and the output keeps the order and pairing of the items', async () => {
		const n8n = new TestInstance(sandboxCredential());
		// The third item's answer comes last.
		await injectFault({ path: GET, after: 2, count: 1, delayMs: 300 });
		const { items, error } = await n8n.runChorusPro(getInvoice(), {
			items: ids.map((id) => ({ json: { id } })),
		});
		expect(error).toBeUndefined();
		expect(
			items.map((item) => item.json.summary && (item.json.summary as IDataObject).invoiceId),
		).toEqual(ids);
		expect(items.map((item) => item.pairedItem)).toEqual(ids.map((_, item) => ({ item })));
		const gets = await requestsTo(GET);
		expect(gets).toHaveLength(12);
		// The first item goes alone (it fetches the token), then five at a time by default.
		expect(gets[0].inFlight).toBe(0);
		expect(Math.max(...gets.map((request) => request.inFlight))).toBe(4);
	});

	it('an operation the node does not know fails every item alike, and nothing is sent', async () => {
		const n8n = new TestInstance(sandboxCredential());
		const { items, error } = await n8n.runChorusPro(
			{ resource: 'invoice', operation: 'teleport', invoiceId: '={{ $json.id }}' },
			{ items: ids.slice(0, 3).map((id) => ({ json: { id } })), continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.error, item.pairedItem])).toEqual(
			[0, 1, 2].map((item) => [
				'The operation "teleport" of resource "invoice" is not known',
				{ item },
			]),
		);
		expect(await requestsTo(GET)).toHaveLength(0);
	});

	it('"Items in Parallel" 1 sends the items one after the other', async () => {
		const n8n = new TestInstance(sandboxCredential());
		const { error } = await n8n.runChorusPro(getInvoice(1), {
			items: ids.map((id) => ({ json: { id } })),
		});
		expect(error).toBeUndefined();
		expect((await requestsTo(GET)).map((request) => request.inFlight)).toEqual(ids.map(() => 0));
	});

	it('one token for all: a token expiring mid-run is renewed once for the requests in flight', async () => {
		const n8n = new TestInstance(sandboxCredential());
		// Every token expires just before the second item is sent: five requests meet it at once.
		let sent = 0;
		beforeRequest(
			n8n,
			(request) => String(request.url).endsWith(GET) && ++sent === 2,
			async () => await admin('/tokens/expire', {}),
		);
		const { items, error } = await n8n.runChorusPro(getInvoice(), {
			items: ids.map((id) => ({ json: { id } })),
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(12);
		expect(await requestsTo(TOKEN_PATH)).toHaveLength(2);
		// Each get answered once with success; the 401s of the expired token were sent again once.
		const gets = await requestsTo(GET);
		expect(gets.filter((request) => request.status === 200)).toHaveLength(12);
		expect(gets.filter((request) => request.status === 401).length).toBeLessThanOrEqual(5);
	});

	it('a 429 slows every request down: none is sent before the time the gateway asked for', async () => {
		const n8n = new TestInstance(sandboxCredential());
		await injectFault({
			path: GET,
			after: 3,
			count: 1,
			status: 429,
			headers: { 'Retry-After': '1' },
		});
		const { items, error } = await n8n.runChorusPro(getInvoice(), {
			items: ids.map((id) => ({ json: { id } })),
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(12);
		const gets = await requestsTo(GET);
		const limited = gets.find((request) => request.status === 429);
		expect(limited?.answeredAt).toBeDefined();
		const resume = Date.parse(limited?.answeredAt as string) + 1000;
		// Requests sent after the 429 came back wait out the Retry-After, whichever item they carry.
		const after = gets.filter((request) => request.seq > (limited?.seq ?? 0) + 4);
		expect(after.length).toBeGreaterThan(0);
		for (const request of after) expect(Date.parse(request.at)).toBeGreaterThanOrEqual(resume - 5);
	});

	it('writes stay exactly-once in parallel, under Retry On Fail, whatever the interleaving', async () => {
		const n8n = new TestInstance(sandboxCredential());
		await admin('/config', { latencyMs: 0 });
		// Two deposits fail in a way that may have reached Chorus Pro, one is refused clearly.
		await injectFault([
			{ path: DEPOSIT, after: 2, count: 1, status: 502 },
			{ path: DEPOSIT, after: 4, count: 1, status: 503 },
			{ path: DEPOSIT, after: 6, count: 1, status: 400, body: { codeRetour: 1, libelle: 'Refus' } },
		]);
		const files = Array.from({ length: 10 }, (_, index) => ublFile(`PAR-DEP-${index}`));
		await n8n.runChorusPro(depositFile(), { items: files, maxTries: 3 });
		const sent = (await requestsTo(DEPOSIT)).map((request) => ({
			file: (request.body as IDataObject).fichierFlux,
			status: request.status,
		}));
		const taken = sent.filter((request) => request.status === 200).map((request) => request.file);
		// No file taken twice, and no file sent again after an answer that may have been a success.
		expect(new Set(taken).size).toBe(taken.length);
		const uncertain = sent.filter((request) => request.status === 502 || request.status === 503);
		for (const { file } of uncertain)
			expect(sent.filter((request) => request.file === file)).toHaveLength(1);
	});

	it('the same file twice among items sent in parallel is deposited once: the later item gets the earlier answer', async () => {
		const n8n = new TestInstance(sandboxCredential());
		// Deposits answered slowly, so that the two items carrying the same file are under way together.
		await admin('/config', { latencyMs: 150 });
		const twice = ublFile('PAR-SAME-1');
		const files = [ublFile('PAR-SAME-0'), twice, twice, ublFile('PAR-SAME-3')];
		const { items, error } = await n8n.runChorusPro(depositFile(), {
			items: files,
			mode: 'trigger',
		});
		expect(error).toBeUndefined();
		const sent = await requestsTo(DEPOSIT);
		expect(sent).toHaveLength(3);
		// Items 1 and 2 were on the wire together: the second waited for the first's answer.
		expect(items.map((item) => item.pairedItem)).toEqual(files.map((_, item) => ({ item })));
		expect(items[2].json.numeroFluxDepot).toBe(items[1].json.numeroFluxDepot);
		expect(items[2].json.alreadySent).toBe(true);
		expect(items[1].json.alreadySent).toBeUndefined();
		expect(new Set(items.map((item) => item.json.numeroFluxDepot)).size).toBe(3);
	});

	it('checks read files into memory: at most 32 MB of files are being checked at once', async () => {
		const n8n = new TestInstance(sandboxCredential());
		// Each recipient is looked up while its item is checked, before its PDF is read: the
		// lookups in flight together tell how many items were being checked at once.
		await admin('/config', { latencyMs: 200 });
		const submitPdfs = async (pdfBytes: number) => {
			await clearLog();
			const pdf = chorusFixtures.padPdf(chorusFixtures.makeInvoicePdf({ number: 'BIG' }), pdfBytes);
			const { error } = await n8n.runChorusPro(
				submitByFields({
					submitMode: 'pdf',
					recipient: recipient('={{ $json.siret }}'),
					invoiceNumber: '={{ $json.number }}',
					binaryPropertyName: 'data',
					pdfFormat: 'PDF_NON_SIGNE',
					lines: {},
					totals: { totalExclTax: 1000, totalVat: 200 },
				}),
				{
					items: [1, 2, 3, 4, 5].map((index) => ({
						json: { siret: `2100000000${String(index).padStart(4, '0')}`, number: number() },
						binary: { data: { data: pdf, fileName: 'invoice.pdf', mimeType: 'application/pdf' } },
					})),
				},
			);
			expect(error).toBeUndefined();
			const lookups = await requestsTo(LOOKUP);
			return Math.max(...lookups.map((request) => request.inFlight));
		};
		// Small files: the five items are checked together.
		expect(await submitPdfs(100_000)).toBe(4);
		// 9 MB files: three at a time (27 MB; a fourth would pass 32 MB).
		expect(await submitPdfs(9 * 1024 * 1024)).toBe(2);
	});
});
