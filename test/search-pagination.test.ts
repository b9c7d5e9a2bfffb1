import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { TestInstance } from './engine/run';
import { beforeRequest, searchPage } from './support/between-requests';
import {
	admin,
	clearLog,
	injectFault,
	loggedRequests,
	resetSandbox,
	sandboxCredential,
} from './support/sandbox';

/**
 * Return All while the list moves or fails between pages: each invoice comes out once, none that
 * stayed in the search is skipped, and a page that keeps failing fails the run with nothing half
 * returned.
 */
const SEARCH = '/cpro/factures/v1/rechercher/fournisseur';

const search = (filters: INodeParameters = {}): INodeParameters => ({
	resource: 'invoice',
	operation: 'search',
	returnAll: true,
	filters,
	sort: {},
});

const ids = (items: Array<{ json: IDataObject }>) =>
	items.map((item) => Number(item.json.identifiantFactureCPP));

describe('Invoice > Search, Return All, when the list moves between pages', () => {
	let firstId: number;

	beforeEach(async () => {
		await resetSandbox();
		// Pages of 10: 25 invoices are three pages.
		await admin('/config', { pageSizeCap: 10 });
		({ firstId } = await admin<{ firstId: number }>('/invoices/bulk', {
			count: 25,
			statut: 'MISE_A_DISPOSITION',
			prefix: 'PAGE-',
		}));
		await clearLog();
	});

	const all = () => Array.from({ length: 25 }, (_, index) => firstId + index);

	it('invoices added before page 2 push some onto it: each invoice comes out once', async () => {
		const n8n = new TestInstance(sandboxCredential());
		beforeRequest(n8n, searchPage(SEARCH, 2), async () => {
			await admin('/invoices/bulk', { count: 3, statut: 'MISE_A_DISPOSITION', prefix: 'LATE-' });
		});
		const { items, error } = await n8n.runChorusPro(search());
		expect(error).toBeUndefined();
		const found = ids(items);
		expect(new Set(found).size).toBe(found.length);
		expect(found).toEqual(expect.arrayContaining(all()));
	});

	it('invoices leaving the search before page 2 pull others back: none that stayed is skipped', async () => {
		const n8n = new TestInstance(sandboxCredential());
		const filters = { statuses: ['MISE_A_DISPOSITION'] };
		const first = await n8n.runChorusPro(search(filters));
		const firstPage = ids(first.items).slice(0, 10);
		beforeRequest(n8n, searchPage(SEARCH, 2), async () => {
			for (const id of firstPage.slice(0, 3))
				await admin(`/invoices/${id}/status`, { statut: 'REJETEE' });
		});
		await clearLog();
		const { items, error } = await n8n.runChorusPro(search(filters));
		expect(error).toBeUndefined();
		const found = ids(items);
		expect(new Set(found).size).toBe(found.length);
		const stayed = all().filter((id) => !firstPage.slice(0, 3).includes(id));
		expect(found).toEqual(expect.arrayContaining(stayed));
		// The total shrank: the search was read once more from its first page.
		const pages = (await loggedRequests())
			.filter((request) => request.path === SEARCH)
			.map(
				(request) =>
					((request.body as IDataObject).rechercheFactureParFournisseur as IDataObject)
						.pageResultatDemandee,
			);
		expect(pages).toEqual([1, 2, 1, 2, 3]);
	});

	it('a page that keeps failing fails the run, after bounded tries, with no half result', async () => {
		const n8n = new TestInstance(sandboxCredential());
		await injectFault({
			path: SEARCH,
			after: 1,
			count: 4,
			status: 503,
			headers: { 'Retry-After': '0' },
		});
		const { items, error } = await n8n.runChorusPro(search());
		expect(items).toEqual([]);
		expect(error?.message).toBe('Chorus Pro is unavailable (HTTP 503)');
		expect((await loggedRequests()).filter((request) => request.path === SEARCH)).toHaveLength(5);
	});
});
