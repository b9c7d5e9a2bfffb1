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
import { submitted } from './support/invoices';

describe('Invoice › Get, Get Status History, Download, Search through the engine', () => {
	let n8n: TestInstance;

	beforeAll(async () => {
		await resetSandbox();
		n8n = new TestInstance(sandboxCredential());
	});

	beforeEach(clearLog);

	describe('Get, history, download', () => {
		let invoiceId: number;

		beforeAll(async () => {
			invoiceId = await submitted(n8n);
			await admin(`/invoices/${invoiceId}/advance`, { until: 'MISE_A_DISPOSITION' });
		});

		it('Get: the invoice with its summary, identifiantFactureCPP sent', async () => {
			const { items, error } = await n8n.runChorusPro({
				resource: 'invoice',
				operation: 'get',
				invoiceId: String(invoiceId),
			});
			expect(error).toBeUndefined();
			expect(items[0].json).toMatchObject({
				statutFacture: 'MISE_A_DISPOSITION',
				summary: {
					invoiceId,
					status: 'MISE_A_DISPOSITION',
					statusLabel: 'Made available to the recipient',
					isFinal: false,
				},
			});
			expect((await lastRequest('/cpro/factures/v1/consulter/fournisseur'))?.body).toEqual({
				identifiantFactureCPP: invoiceId,
				codeLangue: 'FR',
			});
		});

		it('Get: an unknown id is a Chorus error with a hint; a non-numeric id is refused before sending', async () => {
			const unknown = await n8n.runChorusPro({
				resource: 'invoice',
				operation: 'get',
				invoiceId: '987654321',
			});
			expect(unknown.error?.message).toMatch(/^Chorus Pro refused the request: GDP_MSG_11\.008/);
			expect(unknown.error?.description).toMatch(/not the invoice number/);
			const text = await n8n.runChorusPro({
				resource: 'invoice',
				operation: 'get',
				invoiceId: 'FAC-1',
			});
			expect(text.error?.message).toBe(
				'Invoice ID must be a Chorus Pro ID (a number), not "FAC-1"',
			);
		});

		it('Get Status History: every status, newest first, with ISO dates; idFacture sent', async () => {
			const { items, error } = await n8n.runChorusPro({
				resource: 'invoice',
				operation: 'getHistory',
				invoiceId: String(invoiceId),
			});
			expect(error).toBeUndefined();
			const summary = items[0].json.summary as { history: IDataObject[] };
			expect(summary.history.map((entry) => entry.status)).toEqual([
				'MISE_A_DISPOSITION',
				'EN_COURS_ACHEMINEMENT',
				'DEPOSEE',
			]);
			expect(summary.history[0].date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/);
			expect((await lastRequest('/cpro/factures/v1/consulter/historique'))?.body).toEqual({
				idFacture: invoiceId,
			});
		});

		it('Download: the PDF as binary, pivot as XML, input binary kept', async () => {
			const { items, error } = await n8n.runChorusPro(
				{
					resource: 'invoice',
					operation: 'download',
					invoiceId: String(invoiceId),
					format: 'PDF',
					withAttachments: false,
					outputBinaryPropertyName: 'invoice',
				},
				{
					items: [
						{
							binary: {
								other: {
									data: Buffer.from('keep me'),
									fileName: 'other.txt',
									mimeType: 'text/plain',
								},
							},
						},
					],
				},
			);
			expect(error).toBeUndefined();
			expect(items[0].json).toMatchObject({
				invoiceId,
				format: 'PDF',
				fileName: `chorus-pro-invoice-${invoiceId}.pdf`,
			});
			expect(items[0].binary?.invoice).toMatchObject({
				mimeType: 'application/pdf',
				fileName: `chorus-pro-invoice-${invoiceId}.pdf`,
			});
			expect(Object.keys(items[0].binary ?? {}).sort()).toEqual(['invoice', 'other']);
			expect((await lastRequest('/cpro/factures/v1/telecharger/groupe'))?.body).toEqual({
				listeFacture: [{ idFacture: invoiceId }],
				format: 'PDF',
				avecPiecesJointesComplementaires: 'NON',
			});
			const pivot = await n8n.runChorusPro({
				resource: 'invoice',
				operation: 'download',
				invoiceId: String(invoiceId),
				format: 'PIVOT',
				outputBinaryPropertyName: 'data',
			});
			expect(pivot.items[0].binary?.data).toMatchObject({ mimeType: 'application/xml' });
			expect((await lastRequest('/cpro/factures/v1/telecharger/groupe'))?.body).toEqual({
				listeFacture: [{ idFacture: invoiceId }],
				format: 'PIVOT',
			});
		});
	});

	describe('Search', () => {
		beforeAll(async () => {
			await admin('/invoices/bulk', { count: 2345, statut: 'MISE_A_DISPOSITION', prefix: 'BULK-' });
		});

		it('Return All reads every page (3 pages of 1000) with the rechercheFactureParFournisseur block', async () => {
			const { items, error } = await n8n.runChorusPro({
				resource: 'invoice',
				operation: 'search',
				returnAll: true,
				filters: { statuses: ['MISE_A_DISPOSITION'] },
				sort: {},
			});
			expect(error).toBeUndefined();
			const calls = (await loggedRequests()).filter(
				(r) => r.path === '/cpro/factures/v1/rechercher/fournisseur',
			);
			expect(
				calls.map((call) => (call.body as IDataObject).rechercheFactureParFournisseur),
			).toEqual([
				{ pageResultatDemandee: 1, nbResultatsParPage: 1000 },
				{ pageResultatDemandee: 2, nbResultatsParPage: 1000 },
				{ pageResultatDemandee: 3, nbResultatsParPage: 1000 },
			]);
			expect(items.length).toBeGreaterThanOrEqual(2345);
			const ids = items.map((item) => item.json.identifiantFactureCPP);
			expect(new Set(ids).size).toBe(ids.length);
			expect(items[0].json.summary).toMatchObject({
				status: 'MISE_A_DISPOSITION',
				invoiceId: expect.any(Number),
			});
		});

		it('sends the filters with the API key names and date formats', async () => {
			await n8n.runChorusPro({
				resource: 'invoice',
				operation: 'search',
				returnAll: false,
				limit: 5,
				filters: {
					invoiceNumber: 'BULK-000001',
					depositedFrom: '2026-01-01T00:00:00',
					depositedTo: '2026-12-31T00:00:00',
					statusChangedFrom: '2026-11-01T10:30:00+01:00',
					recipientSiret: '00000000012887',
					amountMin: 10,
				},
				sort: { column: 'NumeroFacture', direction: 'Ascendant' },
			});
			expect((await lastRequest('/cpro/factures/v1/rechercher/fournisseur'))?.body).toEqual({
				numeroFacture: 'BULK-000001',
				periodeDateDepotDu: '2026-01-01',
				periodeDateDepotAu: '2026-12-31',
				periodeDateHeureEtatCourantDu: '2026-11-01T10:30:00',
				montantTTCMin: 10,
				listeDestinataire: [{ idDestinataire: 25783752 }],
				rechercheFactureParFournisseur: {
					triColonne: 'NumeroFacture',
					triSens: 'Ascendant',
					pageResultatDemandee: 1,
					nbResultatsParPage: 5,
				},
			});
		});

		it('no result: no item, no error', async () => {
			const { items, error } = await n8n.runChorusPro({
				resource: 'invoice',
				operation: 'search',
				returnAll: true,
				filters: { invoiceNumber: 'NOTHING-HERE' },
				sort: {},
			});
			expect(error).toBeUndefined();
			expect(items).toEqual([]);
		});

		it('a bad date filter names the filter', async () => {
			const { error } = await n8n.runChorusPro({
				resource: 'invoice',
				operation: 'search',
				returnAll: true,
				filters: { depositedFrom: 'yesterday' },
				sort: {},
			});
			expect(error?.message).toBe('"yesterday" is not a date (filter "Deposited From")');
		});
	});
});
