import type { IDataObject, IHttpRequestOptions, INodeParameters } from 'n8n-workflow';

import { CREDENTIAL_ID, TestInstance } from './engine/run';
import { Clocks } from './support/clocks';
import { beforeRequest, searchPage } from './support/between-requests';
import {
	admin,
	clearLog,
	depositFlux,
	injectFault,
	loggedRequests,
	resetSandbox,
	sandboxCredential,
} from './support/sandbox';

/**
 * The trigger part of the fault suite: a page failing in the middle of a poll, the list changing
 * between pages, n8n restarted between polls, an outage of several polls, a PISTE token refused
 * in the middle of a poll. Each test checks what the user sees, the requests sent, and that every
 * change is emitted exactly once.
 *
 * Chorus Pro's clock (the sandbox's) and the n8n host's (jest's fake Date, timers left real) are
 * moved together by hand, so that "10 minutes later" is exact.
 */

const SUPPLIER_ID = 26300989;
const SUPPLIER_SEARCH = '/cpro/factures/v1/rechercher/fournisseur';
const RECIPIENT_SEARCH = '/cpro/factures/v1/rechercher/recipiendaire';
const REPORT_PATH = '/cpro/transverses/v1/consulterCRDetaille';
const OAUTH_PATH = new URL(chorusSandbox.tokenUrl).pathname;
const NO_WAIT = { 'Retry-After': '0' };

/** Picks the report request of one flux number. */
const reportOf =
	(fluxNumber: string) =>
	(request: IHttpRequestOptions): boolean =>
		String(request.url).endsWith(REPORT_PATH) &&
		(JSON.parse(String(request.body)) as IDataObject).numeroFluxDepot === fluxNumber;

/**
 * The requests since the log was cleared, in short: `search p2 503`, `token 200`, `report <flux> 200`
 * (`search 401`: the gateway refuses the token before the body is read, so the log has no body).
 */
async function requestsSent(): Promise<string[]> {
	return (await loggedRequests()).map((request) => {
		if (request.path === OAUTH_PATH) return `token ${request.status}`;
		const body = (request.body ?? {}) as Record<string, IDataObject>;
		if (request.path === REPORT_PATH)
			return request.body
				? `report ${body.numeroFluxDepot} ${request.status}`
				: `report ${request.status}`;
		const page = Object.values(body).find(
			(value) => typeof value === 'object' && value?.pageResultatDemandee !== undefined,
		)?.pageResultatDemandee;
		return page === undefined ? `search ${request.status}` : `search p${page} ${request.status}`;
	});
}

const pages = (...statuses: number[]) => statuses.map((status, i) => `search p${i + 1} ${status}`);

const statusChanged: INodeParameters = { event: 'invoiceStatusChanged', statuses: [], options: {} };
const newReceived: INodeParameters = { event: 'newReceivedInvoice', options: {} };

describe('Chorus Pro Trigger › fault suite', () => {
	let n8n: TestInstance;
	let clocks: Clocks;

	beforeEach(async () => {
		await resetSandbox();
		n8n = new TestInstance(sandboxCredential());
		clocks = new Clocks();
		await clocks.start('2026-06-10T08:00:00Z');
		// Pages of 10, so that 25 changes take three pages.
		await admin('/config', { pageSizeCap: 10 });
	});

	afterEach(() => {
		jest.restoreAllMocks();
		jest.useRealTimers();
	});

	async function newInvoices(count: number): Promise<number[]> {
		const { firstId } = await admin<{ firstId: number }>('/invoices/bulk', {
			count,
			statut: 'DEPOSEE',
			fournisseurId: SUPPLIER_ID,
			prefix: `TF${Math.floor(Math.random() * 1e9).toString(36)}-`,
		});
		return Array.from({ length: count }, (_, index) => firstId + index);
	}

	/** One second apart, so that the search's order (by status date) is the order of the changes. */
	async function setStatus(ids: number[], statut: string) {
		for (const id of ids) {
			await clocks.advanceSeconds(1);
			await admin(`/invoices/${id}/status`, { statut });
		}
	}

	/**
	 * 30 invoices deposited two hours before the trigger is activated (so they are not part of the
	 * story); one minute after the activation, the first 25 are made available. Returns the ids.
	 */
	async function activatedWith25Changes(instance: TestInstance, params: INodeParameters) {
		const ids = await newInvoices(30);
		await clocks.advance(120);
		const activation = { staticData: {} };
		const first = await instance.poll(params, activation);
		expect(first.error).toBeUndefined();
		expect(first.items).toEqual([]);
		await clocks.advance(1);
		await setStatus(ids.slice(0, 25), 'MISE_A_DISPOSITION');
		return { ids, activation };
	}

	/** Polls once with a clean request log. */
	async function poll(
		params: INodeParameters,
		activation: { staticData: IDataObject },
		instance = n8n,
	) {
		await clearLog();
		const { items, error } = await instance.poll(params, activation);
		return {
			emitted: items.map((item) => [item.json.invoiceId, item.json.status]),
			error: error?.message,
			requests: await requestsSent(),
		};
	}

	it('a page failing in the middle of a poll: the poll fails and saves nothing; the next one emits every change once', async () => {
		const { ids, activation } = await activatedWith25Changes(n8n, statusChanged);
		await clocks.advance(9);
		const saved = JSON.stringify(activation.staticData);

		// Page 1 answers; page 2 answers 503 four times (the read-only retries).
		await admin('/faults', [
			{ path: SUPPLIER_SEARCH, count: 1, delayMs: 0 },
			{ path: SUPPLIER_SEARCH, count: 4, status: 503, headers: NO_WAIT },
		]);
		const failed = await poll(statusChanged, activation);
		expect(failed.error).toBe('Chorus Pro is unavailable (HTTP 503)');
		expect(failed.emitted).toEqual([]);
		expect(failed.requests).toEqual([
			'search p1 200',
			'search p2 503',
			'search p2 503',
			'search p2 503',
			'search p2 503',
		]);
		expect(JSON.stringify(activation.staticData)).toBe(saved);

		// A page that fails once is retried within the poll.
		await clocks.advance(10);
		await admin('/faults', [
			{ path: SUPPLIER_SEARCH, count: 2, delayMs: 0 },
			{ path: SUPPLIER_SEARCH, count: 1, status: 502, headers: NO_WAIT },
		]);
		const next = await poll(statusChanged, activation);
		expect(next.error).toBeUndefined();
		expect(next.emitted).toEqual(ids.slice(0, 25).map((id) => [id, 'MISE_A_DISPOSITION']));
		expect(next.requests).toEqual([
			'search p1 200',
			'search p2 200',
			'search p3 502',
			'search p3 200',
		]);

		await clocks.advance(10);
		const quiet = await poll(statusChanged, activation);
		expect(quiet).toEqual({ emitted: [], error: undefined, requests: pages(200, 200, 200) });
	});

	describe('the list changing between pages', () => {
		it('new changes arriving while the pages are read are emitted once', async () => {
			const { ids, activation } = await activatedWith25Changes(n8n, statusChanged);
			await clocks.advance(9);
			beforeRequest(n8n, searchPage(SUPPLIER_SEARCH, 2), () =>
				setStatus(ids.slice(25, 28), 'SUSPENDUE'),
			);
			const first = await poll(statusChanged, activation);
			expect(first.error).toBeUndefined();
			expect(first.emitted).toEqual([
				...ids.slice(0, 25).map((id) => [id, 'MISE_A_DISPOSITION']),
				...ids.slice(25, 28).map((id) => [id, 'SUSPENDUE']),
			]);
			expect(first.requests).toEqual(pages(200, 200, 200));

			await clocks.advance(10);
			expect((await poll(statusChanged, activation)).emitted).toEqual([]);
		});

		it('an invoice already read changing again shifts the list back: the invoice skipped is emitted at the next poll', async () => {
			const { ids, activation } = await activatedWith25Changes(n8n, statusChanged);
			// More than the overlap after the changes: the skipped one must not depend on it.
			await clocks.advance(19);
			beforeRequest(n8n, searchPage(SUPPLIER_SEARCH, 2), () => setStatus([ids[0]], 'REJETEE'));
			const first = await poll(statusChanged, activation);
			expect(first.error).toBeUndefined();
			// ids[10] moved from page 2 to page 1, already read.
			expect(first.emitted).toEqual([
				...ids.slice(0, 10).map((id) => [id, 'MISE_A_DISPOSITION']),
				...ids.slice(11, 25).map((id) => [id, 'MISE_A_DISPOSITION']),
				[ids[0], 'REJETEE'],
			]);
			expect(first.requests).toEqual(pages(200, 200, 200));

			await clocks.advance(10);
			const next = await poll(statusChanged, activation);
			expect(next.emitted).toEqual([[ids[10], 'MISE_A_DISPOSITION']]);
			expect(next.requests).toEqual(pages(200, 200, 200));
			await clocks.advance(10);
			expect((await poll(statusChanged, activation)).emitted).toEqual([]);
		});

		it('New Received Invoice: an invoice processed by the buyer while the pages are read does not hide another', async () => {
			const buyer = new TestInstance(sandboxCredential({}, 'recipient'));
			const { ids, activation } = await activatedWith25Changes(buyer, newReceived);
			await clocks.advance(19);
			beforeRequest(buyer, searchPage(RECIPIENT_SEARCH, 2), () =>
				setStatus([ids[0]], 'SERVICE_FAIT'),
			);
			const first = await poll(newReceived, activation, buyer);
			expect(first.error).toBeUndefined();
			expect(first.emitted).toEqual([
				...ids.slice(0, 10).map((id) => [id, 'MISE_A_DISPOSITION']),
				...ids.slice(11, 25).map((id) => [id, 'MISE_A_DISPOSITION']),
			]);
			expect(first.requests).toEqual(pages(200, 200, 200));

			await clocks.advance(10);
			const next = await poll(newReceived, activation, buyer);
			expect(next.emitted).toEqual([[ids[10], 'MISE_A_DISPOSITION']]);
			await clocks.advance(10);
			expect((await poll(newReceived, activation, buyer)).emitted).toEqual([]);
		});
	});

	it('n8n restarted between polls: a fresh instance fed the saved static data (and the saved token) goes on', async () => {
		const { ids, activation } = await activatedWith25Changes(n8n, statusChanged);
		await clocks.advance(9);
		expect((await poll(statusChanged, activation)).emitted).toHaveLength(25);
		await clocks.advance(1);
		await setStatus(ids.slice(25), 'MISE_A_DISPOSITION');
		await clocks.advance(9);

		// n8n restarts: nothing survives but the database (static data, credential with its token).
		const saved = JSON.parse(JSON.stringify(activation.staticData)) as IDataObject;
		const restarted = new TestInstance({ ...n8n.credentials.get(CREDENTIAL_ID) });
		const reloaded = { staticData: saved };
		const afterRestart = await poll(statusChanged, reloaded, restarted);
		expect(afterRestart.error).toBeUndefined();
		expect(afterRestart.emitted).toEqual(ids.slice(25).map((id) => [id, 'MISE_A_DISPOSITION']));
		// The 30 changes of the last 10 minutes are read again (three pages), and no new token.
		expect(afterRestart.requests).toEqual(pages(200, 200, 200));

		await clocks.advance(10);
		expect((await poll(statusChanged, reloaded, restarted)).emitted).toEqual([]);
	});

	it('an outage of several polls: each fails as n8n shows it, then one poll emits everything once', async () => {
		const { ids, activation } = await activatedWith25Changes(n8n, statusChanged);
		const saved = JSON.stringify(activation.staticData);
		const outage: Array<{ error?: string; requests: string[] }> = [];

		await clocks.advance(9);
		await injectFault({ path: '/cpro/', count: 4, status: 503, headers: NO_WAIT });
		outage.push(await poll(statusChanged, activation));
		await clocks.advance(10);
		await injectFault({ path: '/cpro/', count: 4, status: 502, headers: NO_WAIT });
		outage.push(await poll(statusChanged, activation));
		await clocks.advance(1);
		await setStatus(ids.slice(25), 'SUSPENDUE');
		await clocks.advance(9);
		await injectFault({ path: '/cpro/', count: 4, status: 504, headers: NO_WAIT });
		outage.push(await poll(statusChanged, activation));

		expect(outage).toEqual([
			{
				emitted: [],
				error: 'Chorus Pro is unavailable (HTTP 503)',
				requests: Array(4).fill('search p1 503'),
			},
			{
				emitted: [],
				error: 'Chorus Pro is unavailable (HTTP 502)',
				requests: Array(4).fill('search p1 502'),
			},
			{
				emitted: [],
				error: 'Chorus Pro is unavailable (HTTP 504)',
				requests: Array(4).fill('search p1 504'),
			},
		]);
		expect(JSON.stringify(activation.staticData)).toBe(saved);

		await clocks.advance(10);
		const recovered = await poll(statusChanged, activation);
		expect(recovered.error).toBeUndefined();
		expect(recovered.emitted).toEqual([
			...ids.slice(0, 25).map((id) => [id, 'MISE_A_DISPOSITION']),
			...ids.slice(25).map((id) => [id, 'SUSPENDUE']),
		]);
		expect(recovered.requests).toEqual(pages(200, 200, 200));
		await clocks.advance(10);
		expect((await poll(statusChanged, activation)).emitted).toEqual([]);
	});

	it('a PISTE token refused in the middle of a poll (401 invalid_token): one new token, the page sent again, nothing lost', async () => {
		const { ids, activation } = await activatedWith25Changes(n8n, statusChanged);
		await clocks.advance(9);
		const tokensBefore = n8n.credentials.preAuthentications;
		beforeRequest(n8n, searchPage(SUPPLIER_SEARCH, 2), () => admin('/tokens/expire', {}));
		const result = await poll(statusChanged, activation);
		expect(result.error).toBeUndefined();
		expect(result.emitted).toEqual(ids.slice(0, 25).map((id) => [id, 'MISE_A_DISPOSITION']));
		expect(result.requests).toEqual([
			'search p1 200',
			'search 401',
			'token 200',
			'search p2 200',
			'search p3 200',
		]);
		expect(n8n.credentials.preAuthentications).toBe(tokensBefore + 1);
	});

	describe('Deposit Processed', () => {
		it('an outage in the middle of the list, a restart and a token refused: each deposit emitted once', async () => {
			// Each flux shows its final state at its second report.
			const [a, b, c] = [await depositFlux(), await depositFlux(), await depositFlux()];
			const params = { event: 'depositProcessed', fluxNumbers: `${a}, ${b}, ${c}`, options: {} };
			const activation = { staticData: {} };
			await clearLog();
			expect((await n8n.poll(params, activation)).items).toEqual([]);
			expect((await requestsSent()).filter((r) => r.startsWith('report'))).toEqual([
				`report ${a} 200`,
				`report ${b} 200`,
				`report ${c} 200`,
			]);

			// The report of `a` answers (final now), then Chorus Pro fails on `b`.
			await admin('/faults', [
				{ path: REPORT_PATH, count: 1, delayMs: 0 },
				{ path: REPORT_PATH, count: 4, status: 503, headers: NO_WAIT },
			]);
			await clearLog();
			const failed = await n8n.poll(params, activation);
			expect(failed.error?.message).toBe('Chorus Pro is unavailable (HTTP 503)');
			expect(failed.items).toEqual([]);
			expect(await requestsSent()).toEqual([
				`report ${a} 200`,
				...Array(4).fill(`report ${b} 503`),
			]);

			// n8n restarts; the token expires just before the report of `c`.
			const restarted = new TestInstance({ ...n8n.credentials.get(CREDENTIAL_ID) });
			const reloaded = { staticData: JSON.parse(JSON.stringify(activation.staticData)) };
			beforeRequest(restarted, reportOf(c), () => admin('/tokens/expire', {}));
			await clearLog();
			const recovered = await restarted.poll(params, reloaded);
			expect(recovered.error).toBeUndefined();
			expect(recovered.items.map((item) => [item.json.fluxNumber, item.json.state])).toEqual([
				[a, 'IN_INTEGRE'],
				[b, 'IN_INTEGRE'],
				[c, 'IN_INTEGRE'],
			]);
			expect(await requestsSent()).toEqual([
				`report ${a} 200`,
				`report ${b} 200`,
				'report 401',
				'token 200',
				`report ${c} 200`,
			]);

			// Every deposit is final: nothing more is asked for.
			await clearLog();
			expect((await restarted.poll(params, reloaded)).items).toEqual([]);
			expect(await requestsSent()).toEqual([]);
		});
	});
});
