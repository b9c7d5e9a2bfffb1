import type { IDataObject } from 'n8n-workflow';

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

const deposit = (options: IDataObject = {}, waitForProcessing = true) =>
	depositFile({ waitForProcessing, options: { pollInterval: 1, ...options } });

const file = (data: Buffer | string, fileName: string, mimeType = 'application/octet-stream') => ({
	binary: {
		data: { data: Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8'), fileName, mimeType },
	},
});

let serial = 0;
const number = () => `DEP-${Date.now().toString(36).slice(-5)}-${++serial}`;

describe('Invoice > Deposit File through the engine', () => {
	let n8n: TestInstance;

	beforeAll(async () => {
		await resetSandbox();
		n8n = new TestInstance(sandboxCredential());
	});

	beforeEach(clearLog);

	it('deposits a Factur-X PDF, waits for the report and finds the invoice id', async () => {
		const invoiceNumber = number();
		const pdf = chorusFixtures.makeFacturXPdf({ number: invoiceNumber });
		const { items, error } = await n8n.runChorusPro(deposit(), {
			items: [file(pdf, 'invoice.pdf', 'application/pdf')],
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		const json = items[0].json as IDataObject & { summary: IDataObject };
		expect(json.numeroFluxDepot).toMatch(/^CPP0011117\d{15}$/);
		expect(json.summary).toMatchObject({
			state: 'IN_INTEGRE',
			isFinal: true,
			isSuccess: true,
			timedOut: false,
			syntax: 'IN_DP_E2_CII_FACTURX',
			invoiceErrors: [],
			technicalErrors: [],
		});
		expect(json.summary.invoiceIds).toEqual([expect.any(Number)]);
		expect(json.summary.invoices).toEqual([
			expect.objectContaining({
				invoiceNumber,
				status: 'DEPOSEE',
				statusLabel: 'Deposited',
				isFinal: false,
			}),
		]);

		const log = await loggedRequests();
		const sent = log.find((r) => r.path === '/cpro/factures/v1/deposer/flux');
		expect(sent?.body).toEqual({
			fichierFlux: pdf.toString('base64'),
			nomFichier: 'invoice.pdf',
			syntaxeFlux: 'IN_DP_E2_CII_FACTURX',
			avecSignature: false,
		});
		const reports = log.filter((r) => r.path === '/cpro/transverses/v1/consulterCRDetaille');
		expect(reports.length).toBeGreaterThanOrEqual(2);
		expect(reports[0].body).toEqual({ numeroFluxDepot: json.numeroFluxDepot });
		const search = log.find((r) => r.path === '/cpro/factures/v1/rechercher/fournisseur');
		expect(search?.body).toMatchObject({ numeroFluxDepot: json.numeroFluxDepot });
	});

	it.each([
		[
			'UBL invoice',
			() => chorusFixtures.makeUblXml({ number: number() }),
			'invoice.xml',
			'IN_DP_E1_UBL_INVOICE',
		],
		[
			'UBL credit note',
			() => chorusFixtures.makeUblXml({ number: number(), creditNote: true }),
			'avoir.xml',
			'IN_DP_E1_UBL_INVOICE',
		],
		[
			'CII invoice',
			() => chorusFixtures.makeCiiXml({ number: number() }),
			'invoice.xml',
			'IN_DP_E1_CII_16B',
		],
	])('detects the format of a %s without waiting', async (_label, make, fileName, syntax) => {
		const { items, error } = await n8n.runChorusPro(deposit({}, false), {
			items: [file(make(), fileName, 'application/xml')],
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ syntaxeFlux: syntax, summary: { syntax } });
		const log = await loggedRequests();
		expect(log.filter((r) => r.path.startsWith('/cpro/')).map((r) => r.path)).toEqual([
			'/cpro/factures/v1/deposer/flux',
		]);
	});

	it('deposits a tar.gz batch partly rejected: integrated ids and the rejected invoice with its message', async () => {
		const good = [number(), number()];
		const bad = number();
		const batch = chorusFixtures.makeTarGz([
			{ name: 'a.xml', data: chorusFixtures.makeUblXml({ number: good[0] }) },
			{
				name: 'b.xml',
				data: chorusFixtures.makeUblXml({ number: bad, recipientSiret: '99999999999999' }),
			},
			{ name: 'c.xml', data: chorusFixtures.makeUblXml({ number: good[1] }) },
		]);
		const { items, error } = await n8n.runChorusPro(deposit(), {
			items: [file(batch, 'lot.tar.gz', 'application/gzip')],
		});
		expect(error).toBeUndefined();
		const summary = items[0].json.summary as IDataObject;
		expect(summary).toMatchObject({
			state: 'IN_INTEGRE_PARTIEL',
			isFinal: true,
			isSuccess: true,
			syntax: 'IN_DP_E1_UBL_INVOICE',
		});
		expect(summary.invoiceIds).toHaveLength(2);
		expect(
			(summary.invoices as IDataObject[]).map((invoice) => invoice.invoiceNumber).sort(),
		).toEqual([...good].sort());
		expect(summary.invoiceErrors).toEqual([
			expect.objectContaining({
				invoiceNumber: bad,
				recipient: '99999999999999',
				message: expect.any(String),
			}),
		]);
	});

	it('detects the format inside a deflated zip batch', async () => {
		const zip = chorusFixtures.makeZip([
			{ name: 'one.xml', data: chorusFixtures.makeCiiXml({ number: number() }) },
			{ name: 'two.xml', data: chorusFixtures.makeCiiXml({ number: number() }) },
		]);
		const { items, error } = await n8n.runChorusPro(deposit({}, false), {
			items: [file(zip, 'lot.zip', 'application/zip')],
		});
		expect(error).toBeUndefined();
		expect(items[0].json.syntaxeFlux).toBe('IN_DP_E1_CII_16B');
	});

	it('returns a rejected flux with its technical errors, or fails the item when asked', async () => {
		const xml = chorusFixtures.makeCiiXml({ number: number() });
		// A CII file declared as UBL is rejected by Chorus Pro.
		const params = { ...deposit(), syntax: 'IN_DP_E1_UBL_INVOICE' };
		const { items, error } = await n8n.runChorusPro(params, { items: [file(xml, 'invoice.xml')] });
		expect(error).toBeUndefined();
		const summary = items[0].json.summary as IDataObject;
		expect(summary).toMatchObject({
			state: 'IN_REJETE',
			isFinal: true,
			isSuccess: false,
			invoiceIds: [],
		});
		expect((summary.technicalErrors as IDataObject[])[0]).toMatchObject({
			code: expect.stringMatching(/^ERR_/),
		});

		const failing = await n8n.runChorusPro(
			{ ...params, options: { pollInterval: 1, errorOnRejection: true } },
			{
				items: [file(chorusFixtures.makeCiiXml({ number: number() }), 'invoice.xml')],
				continueOnFail: true,
			},
		);
		expect(failing.items[0].json.error).toMatch(/^Chorus Pro rejected flux CPP\d+ \(IN_REJETE\)$/);
		expect(failing.items[0].json.description).toMatch(/ERR_/);
	});

	it('reports an outcome forced by the platform (incident) as a final failure', async () => {
		const { items: deposited } = await n8n.runChorusPro(deposit({}, false), {
			items: [file(chorusFixtures.makeUblXml({ number: number() }), 'invoice.xml')],
		});
		const fluxNumber = String(deposited[0].json.numeroFluxDepot);
		await admin(`/flux/${fluxNumber}/outcome`, { etat: 'IN_INCIDENTE', immediate: true });
		const { items } = await n8n.runChorusPro({
			resource: 'flux',
			operation: 'getReport',
			fluxNumber,
			findInvoices: true,
			includePdf: false,
		});
		expect(items[0].json.summary).toMatchObject({
			state: 'IN_INCIDENTE',
			isFinal: true,
			isSuccess: false,
			invoiceIds: [],
		});
	});

	it('refuses a plain PDF, a wrong file name and a missing binary before sending anything', async () => {
		const plain = await n8n.runChorusPro(deposit(), {
			items: [file(chorusFixtures.makePdf('Facture'), 'facture.pdf')],
		});
		expect(plain.error?.message).toMatch(
			/could not be detected: it is a PDF without embedded Factur-X XML/,
		);
		expect(plain.error?.description).toMatch(/Format/);

		const misnamed = await n8n.runChorusPro(deposit(), {
			items: [file(chorusFixtures.makeUblXml({ number: number() }), 'invoice.pdf')],
		});
		expect(misnamed.error?.message).toBe(
			'The file name "invoice.pdf" does not match its content (expected .xml)',
		);

		const missing = await n8n.runChorusPro(deposit(), { items: [{ json: {} }] });
		expect(missing.error?.message).toMatch(/binary/i);

		expect((await loggedRequests()).filter((r) => r.path.startsWith('/cpro/'))).toHaveLength(0);
	});

	it('gives up waiting after the timeout and returns the flux number with the last state', async () => {
		await admin('/config', { fluxPollsToFinal: 100 });
		try {
			const { items, error } = await n8n.runChorusPro(deposit({ timeout: 2 }), {
				items: [file(chorusFixtures.makeUblXml({ number: number() }), 'invoice.xml')],
			});
			expect(error).toBeUndefined();
			expect(items[0].json.summary).toMatchObject({
				fluxNumber: expect.stringMatching(/^CPP/),
				isFinal: false,
				timedOut: true,
				state: expect.stringMatching(/^IN_/),
			});
		} finally {
			await admin('/config', { fluxPollsToFinal: 2 });
		}
	});

	it('keeps the flux number when the report cannot be read after the deposit (no second deposit)', async () => {
		await injectFault({
			path: '/cpro/transverses/v1/consulterCRDetaille',
			count: 4,
			status: 503,
			headers: { 'Retry-After': '0' },
		});
		const { items, error } = await n8n.runChorusPro(deposit(), {
			items: [file(chorusFixtures.makeUblXml({ number: number() }), 'invoice.xml')],
		});
		expect(error).toBeUndefined();
		const summary = items[0].json.summary as IDataObject;
		expect(summary.fluxNumber).toMatch(/^CPP/);
		expect(summary.followError).toBe('Chorus Pro is unavailable (HTTP 503)');
		expect(summary.hint).toMatch(/do not send it again/);
		const deposits = (await loggedRequests()).filter(
			(r) => r.path === '/cpro/factures/v1/deposer/flux',
		);
		expect(deposits).toHaveLength(1);
	});

	it('a success answer without a flux number is an error that says how to find out, not "flux undefined"', async () => {
		await injectFault({
			path: '/cpro/factures/v1/deposer/flux',
			count: 1,
			status: 200,
			body: { codeRetour: 0, libelle: 'GCU_MSG_01_000' },
		});
		const { items, error } = await n8n.runChorusPro(deposit(), {
			items: [file(chorusFixtures.makeUblXml({ number: number() }), 'invoice.xml')],
		});
		expect(items).toEqual([]);
		expect(error?.message).toBe('Chorus Pro answered success without numeroFluxDepot');
		expect(error?.description).toMatch(/may or may not have been taken.*Suivi des flux/);
		const calls = (await loggedRequests()).map((r) => r.path);
		expect(calls.filter((path) => path === '/cpro/factures/v1/deposer/flux')).toHaveLength(1);
		expect(calls).not.toContain('/cpro/transverses/v1/consulterCRDetaille');
	});

	it('never re-sends a deposit after a gateway error, but does after a 429 (refused before processing)', async () => {
		await injectFault({ path: '/cpro/factures/v1/deposer/flux', count: 1, status: 502 });
		const failed = await n8n.runChorusPro(deposit({}, false), {
			items: [file(chorusFixtures.makeUblXml({ number: number() }), 'invoice.xml')],
		});
		expect(failed.error?.message).toBe('Chorus Pro is unavailable (HTTP 502)');
		expect(failed.error?.description).toMatch(
			/may have reached Chorus Pro: search for the invoice or flux before sending it again/,
		);
		expect(
			(await loggedRequests()).filter((r) => r.path === '/cpro/factures/v1/deposer/flux'),
		).toHaveLength(1);

		await clearLog();
		await injectFault({
			path: '/cpro/factures/v1/deposer/flux',
			count: 1,
			status: 429,
			headers: { 'Retry-After': '0' },
		});
		const retried = await n8n.runChorusPro(deposit({}, false), {
			items: [file(chorusFixtures.makeUblXml({ number: number() }), 'invoice.xml')],
		});
		expect(retried.error).toBeUndefined();
		expect(
			(await loggedRequests())
				.filter((r) => r.path === '/cpro/factures/v1/deposer/flux')
				.map((r) => r.status),
		).toEqual([429, 200]);
	});

	it('sends each large file whole, whether kept from its checks or read again (a run holds at most 32 MB)', async () => {
		// Three 11 MB files: the first two are kept from the checks to the sends, the third is past
		// the run's budget and read again when its turn comes.
		const pdfs = [1, 2, 3].map((n) =>
			chorusFixtures.padPdf(
				chorusFixtures.makeFacturXPdf({ number: number() }),
				11 * 1024 * 1024 + n,
			),
		);
		const { items, error } = await n8n.runChorusPro(deposit({}, false), {
			items: pdfs.map((pdf, n) => file(pdf, `large-${n}.pdf`, 'application/pdf')),
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.syntaxeFlux)).toEqual(
			Array(3).fill('IN_DP_E2_CII_FACTURX'),
		);
		const sent = await requestsTo('/cpro/factures/v1/deposer/flux');
		expect(sent.map((request) => (request.body as IDataObject).nomFichier)).toEqual([
			'large-0.pdf',
			'large-1.pdf',
			'large-2.pdf',
		]);
		sent.forEach((request, n) =>
			expect((request.body as IDataObject).fichierFlux === pdfs[n].toString('base64')).toBe(true),
		);
	});

	it('handles several items: one output per input, paired, one token', async () => {
		const n8nFresh = new TestInstance(sandboxCredential());
		const { items, error } = await n8nFresh.runChorusPro(deposit({}, false), {
			items: [1, 2, 3].map(() =>
				file(chorusFixtures.makeUblXml({ number: number() }), 'invoice.xml'),
			),
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(new Set(items.map((item) => item.json.numeroFluxDepot)).size).toBe(3);
		expect((await loggedRequests()).filter((r) => r.path === '/api/oauth/token')).toHaveLength(1);
	});
});
