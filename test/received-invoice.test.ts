import type { IDataObject } from 'n8n-workflow';

import { TestInstance } from './engine/run';
import {
	admin,
	clearLog,
	lastRequest,
	loggedRequests,
	resetSandbox,
	sandboxCredential,
} from './support/sandbox';

describe('Received Invoice resource (public buyer) through the engine', () => {
	let buyer: TestInstance;
	let ids: number[];

	beforeAll(async () => {
		await resetSandbox();
		buyer = new TestInstance(sandboxCredential({}, 'recipient'));
		const { firstId } = await admin<{ firstId: number }>('/invoices/bulk', {
			count: 30,
			statut: 'MISE_A_DISPOSITION',
			destinataireSiret: '00000000012887',
			prefix: 'RCV-',
		});
		ids = Array.from({ length: 30 }, (_, index) => firstId + index);
	});

	beforeEach(clearLog);

	it('Search: one item per invoice keyed idFacture, all pages with the paramRecherche block and top-level totals', async () => {
		await admin('/config', { pageSizeCap: 10 });
		try {
			const { items, error } = await buyer.runChorusPro({
				resource: 'receivedInvoice',
				operation: 'search',
				returnAll: true,
				filters: { statuses: ['MISE_A_DISPOSITION'] },
				sort: {},
			});
			expect(error).toBeUndefined();
			expect(items.map((item) => item.json.idFacture).sort()).toEqual([...ids].sort());
			expect(items[0].json.summary).toMatchObject({
				invoiceId: expect.any(Number),
				status: 'MISE_A_DISPOSITION',
			});
			const calls = (await loggedRequests()).filter(
				(r) => r.path === '/cpro/factures/v1/rechercher/recipiendaire',
			);
			expect(calls.map((call) => (call.body as IDataObject).paramRecherche)).toEqual([
				{ pageResultatDemandee: 1, nbResultatsParPage: 1000 },
				{ pageResultatDemandee: 2, nbResultatsParPage: 1000 },
				{ pageResultatDemandee: 3, nbResultatsParPage: 1000 },
			]);
			expect(calls[0].body).toMatchObject({
				typeDemandePaiement: 'FACTURE',
				statutCourant: ['MISE_A_DISPOSITION'],
			});
		} finally {
			await admin('/config', { pageSizeCap: null });
		}
	});

	it('Search: no result is no item', async () => {
		const { items, error } = await buyer.runChorusPro({
			resource: 'receivedInvoice',
			operation: 'search',
			returnAll: true,
			filters: { invoiceNumber: 'NOT-THERE' },
			sort: {},
		});
		expect(error).toBeUndefined();
		expect(items).toEqual([]);
	});

	// consulter/recipiendaire takes identifiantFactureCPP like consulter/fournisseur (go-choruspro's
	// ConsulterFactureOptions, the CPP-2017 client); the other recipient services take idFacture.
	it('Get: consulter/recipiendaire with identifiantFactureCPP', async () => {
		const { items, error } = await buyer.runChorusPro({
			resource: 'receivedInvoice',
			operation: 'get',
			invoiceId: String(ids[0]),
		});
		expect(error).toBeUndefined();
		expect(items[0].json.summary).toMatchObject({
			invoiceId: ids[0],
			status: 'MISE_A_DISPOSITION',
		});
		expect((await lastRequest('/cpro/factures/v1/consulter/recipiendaire'))?.body).toEqual({
			identifiantFactureCPP: ids[0],
			codeLangue: 'FR',
		});
	});

	it('Process: a status that needs a reason is refused before sending without one, accepted with one', async () => {
		const refused = await buyer.runChorusPro({
			resource: 'receivedInvoice',
			operation: 'process',
			invoiceId: String(ids[1]),
			newStatus: 'REJETEE',
			reason: '',
		});
		expect(refused.error?.message).toBe('A reason is required to set the status REJETEE');
		expect(await lastRequest('/cpro/factures/v1/traiter/recue')).toBeUndefined();

		const { items, error } = await buyer.runChorusPro({
			resource: 'receivedInvoice',
			operation: 'process',
			invoiceId: String(ids[1]),
			newStatus: 'REJETEE',
			reason: 'Missing purchase order number',
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			nouveauStatut: 'REJETEE',
			summary: { invoiceId: ids[1], status: 'REJETEE', isFinal: true },
		});
		expect((await lastRequest('/cpro/factures/v1/traiter/recue'))?.body).toEqual({
			idFacture: ids[1],
			nouveauStatut: 'REJETEE',
			motif: 'Missing purchase order number',
		});
	});

	it('Process: service done then paid with the payment order number; a forbidden transition is a Chorus error', async () => {
		const done = await buyer.runChorusPro({
			resource: 'receivedInvoice',
			operation: 'process',
			invoiceId: String(ids[2]),
			newStatus: 'SERVICE_FAIT',
			reason: '',
		});
		expect(done.error).toBeUndefined();
		const paid = await buyer.runChorusPro({
			resource: 'receivedInvoice',
			operation: 'process',
			invoiceId: String(ids[2]),
			newStatus: 'MANDATEE',
			reason: '',
			paymentOrderNumber: 'DP-2026-77',
		});
		expect(paid.items[0].json.summary).toMatchObject({ status: 'MANDATEE' });
		expect((await lastRequest('/cpro/factures/v1/traiter/recue'))?.body).toMatchObject({
			numeroDPMandat: 'DP-2026-77',
		});
		const back = await buyer.runChorusPro({
			resource: 'receivedInvoice',
			operation: 'process',
			invoiceId: String(ids[2]),
			newStatus: 'SERVICE_FAIT',
			reason: '',
		});
		expect(back.error?.message).toMatch(/^Chorus Pro refused the request: GDP_MSG_11\.001/);
	});

	it('Download and Get Status History for the buyer', async () => {
		const download = await buyer.runChorusPro({
			resource: 'receivedInvoice',
			operation: 'download',
			invoiceId: String(ids[3]),
			format: 'PDF',
			withAttachments: false,
			outputBinaryPropertyName: 'data',
		});
		expect(download.error).toBeUndefined();
		expect(download.items[0].binary?.data).toMatchObject({ mimeType: 'application/pdf' });
		const history = await buyer.runChorusPro({
			resource: 'receivedInvoice',
			operation: 'getHistory',
			invoiceId: String(ids[3]),
		});
		expect((history.items[0].json.summary as { history: IDataObject[] }).history[0]).toMatchObject({
			status: 'MISE_A_DISPOSITION',
		});
	});

	it('a supplier account cannot read a buyer-side invoice: a Chorus error, not a crash', async () => {
		const supplier = new TestInstance(sandboxCredential());
		const { items } = await supplier.runChorusPro(
			{ resource: 'receivedInvoice', operation: 'get', invoiceId: String(ids[4]) },
			{ continueOnFail: true },
		);
		expect(items[0].json).toMatchObject({
			error: expect.stringMatching(/^Chorus Pro refused the request/),
			codeRetour: expect.any(Number),
		});
	});
});
