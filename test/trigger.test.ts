import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { TestInstance } from './engine/run';
import {
	admin,
	clearLog,
	injectFault,
	loggedRequests,
	resetSandbox,
	sandboxCredential,
} from './support/sandbox';
import { depositFile } from './support/invoices';

const SUPPLIER_ID = 26300989;

const statusChanged = (extra: INodeParameters = {}): INodeParameters => ({
	event: 'invoiceStatusChanged',
	statuses: [],
	options: {},
	...extra,
});

describe('Chorus Pro Trigger through the engine poller', () => {
	let n8n: TestInstance;
	let recipientN8n: TestInstance;

	beforeEach(async () => {
		await resetSandbox();
		n8n = new TestInstance(sandboxCredential());
		recipientN8n = new TestInstance(sandboxCredential({}, 'recipient'));
	});

	async function newInvoices(count: number, statut = 'DEPOSEE'): Promise<number[]> {
		const { firstId } = await admin<{ firstId: number }>('/invoices/bulk', {
			count,
			statut,
			fournisseurId: SUPPLIER_ID,
			prefix: `T${Date.now().toString(36)}-`,
		});
		return Array.from({ length: count }, (_, index) => firstId + index);
	}

	describe('Invoice Status Changed', () => {
		it('emits nothing at the first activation, then each change exactly once across polls', async () => {
			const [id] = await newInvoices(1);
			await admin(`/invoices/${id}/advance`, {});
			const activation = { staticData: {} };

			const first = await n8n.poll(statusChanged(), activation);
			expect(first.error).toBeUndefined();
			expect(first.items).toEqual([]);
			expect(activation.staticData).toHaveProperty(['node:Chorus Pro Trigger', 'cursor']);

			await admin(`/invoices/${id}/status`, { statut: 'REJETEE', commentaire: 'Wrong amount' });
			const second = await n8n.poll(statusChanged(), activation);
			expect(second.items.map((item) => item.json)).toEqual([
				expect.objectContaining({
					event: 'invoiceStatusChanged',
					invoiceId: id,
					status: 'REJETEE',
					statusLabel: 'Rejected',
					isFinal: true,
					actionRequired: true,
					changedAt: expect.stringMatching(/Z$/),
					recipient: expect.objectContaining({ siret: expect.any(String) }),
					amounts: expect.objectContaining({ includingTax: expect.any(Number), currency: 'EUR' }),
				}),
			]);
			// The windows overlap: the same change comes back from the API and is not emitted again.
			for (let poll = 0; poll < 3; poll++) {
				const again = await n8n.poll(statusChanged(), activation);
				expect(again.items).toEqual([]);
			}
			const searches = (await loggedRequests()).filter(
				(r) => r.path === '/cpro/factures/v1/rechercher/fournisseur',
			);
			expect(
				(searches[searches.length - 1].body as IDataObject).periodeDateHeureEtatCourantDu,
			).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
		});

		it('gives the previous status when it saw it, and reports the latest of two changes between polls', async () => {
			const [id] = await newInvoices(1);
			const activation = { staticData: {} };
			// The activation reads the changes of the last hour without emitting them: it saw DEPOSEE.
			await n8n.poll(statusChanged(), activation);
			await admin(`/invoices/${id}/status`, { statut: 'MISE_A_DISPOSITION' });
			const seen = await n8n.poll(statusChanged(), activation);
			expect(seen.items[0].json).toMatchObject({
				status: 'MISE_A_DISPOSITION',
				previousStatus: 'DEPOSEE',
			});

			await admin(`/invoices/${id}/status`, { statut: 'SERVICE_FAIT' });
			await admin(`/invoices/${id}/status`, { statut: 'MANDATEE' });
			const latest = await n8n.poll(statusChanged(), activation);
			expect(latest.items.map((item) => item.json)).toEqual([
				expect.objectContaining({
					invoiceId: id,
					status: 'MANDATEE',
					previousStatus: 'MISE_A_DISPOSITION',
				}),
			]);
		});

		it('filters on the target statuses', async () => {
			const ids = await newInvoices(3);
			const activation = { staticData: {} };
			const params = statusChanged({ statuses: ['SUSPENDUE', 'A_RECYCLER'] });
			await n8n.poll(params, activation);
			await admin(`/invoices/${ids[0]}/status`, { statut: 'SUSPENDUE' });
			await admin(`/invoices/${ids[1]}/status`, { statut: 'MISE_A_DISPOSITION' });
			await admin(`/invoices/${ids[2]}/status`, { statut: 'A_RECYCLER' });
			const { items } = await n8n.poll(params, activation);
			// Sorted: two changes within the same millisecond have no order.
			expect(items.map((item) => [item.json.invoiceId, item.json.status]).sort()).toEqual([
				[ids[0], 'SUSPENDUE'],
				[ids[2], 'A_RECYCLER'],
			]);
		});

		it('emits every change when they span several pages', async () => {
			const ids = await newInvoices(25);
			const activation = { staticData: {} };
			await n8n.poll(statusChanged(), activation);
			for (const id of ids) await admin(`/invoices/${id}/status`, { statut: 'MISE_A_DISPOSITION' });
			await admin('/config', { pageSizeCap: 10 });
			await clearLog();
			const { items, error } = await n8n.poll(statusChanged(), activation);
			expect(error).toBeUndefined();
			expect(items.map((item) => item.json.invoiceId).sort()).toEqual([...ids].sort());
			expect(
				(await loggedRequests()).filter(
					(r) => r.path === '/cpro/factures/v1/rechercher/fournisseur',
				),
			).toHaveLength(3);
		});

		it('loses nothing when a poll fails: the next poll emits what was missed', async () => {
			const [id] = await newInvoices(1);
			const activation = { staticData: {} };
			await n8n.poll(statusChanged(), activation);
			const before = JSON.stringify(activation.staticData);
			await admin(`/invoices/${id}/status`, { statut: 'SUSPENDUE' });
			await injectFault({
				path: '/cpro/factures',
				count: 4,
				status: 503,
				headers: { 'Retry-After': '0' },
			});
			const failed = await n8n.poll(statusChanged(), activation);
			expect(failed.error?.message).toBe('Chorus Pro is unavailable (HTTP 503)');
			expect(JSON.stringify(activation.staticData)).toBe(before);
			const next = await n8n.poll(statusChanged(), activation);
			expect(next.items.map((item) => [item.json.invoiceId, item.json.status])).toEqual([
				[id, 'SUSPENDUE'],
			]);
		});

		it('backfill: the first activation emits the changes of the last hours when asked', async () => {
			const [id] = await newInvoices(1);
			await admin(`/invoices/${id}/status`, { statut: 'MISE_A_DISPOSITION' });
			const { items } = await n8n.poll(statusChanged({ options: { backfillHours: 2 } }), {
				staticData: {},
			});
			expect(items.map((item) => item.json.invoiceId)).toContain(id);
		});

		it('manual mode ("Fetch Test Event") returns the latest matching change and saves nothing', async () => {
			const ids = await newInvoices(2);
			await admin(`/invoices/${ids[0]}/status`, { statut: 'REJETEE' });
			await admin(`/invoices/${ids[1]}/status`, { statut: 'MISE_A_DISPOSITION' });
			const activation = { staticData: {} };
			const { items } = await n8n.poll(
				statusChanged({ statuses: ['REJETEE'] }),
				activation,
				'manual',
			);
			expect(items.map((item) => [item.json.invoiceId, item.json.status])).toEqual([
				[ids[0], 'REJETEE'],
			]);
			expect(activation.staticData).toEqual({});
		});
	});

	describe('Deposit Processed', () => {
		async function depositFlux(): Promise<string> {
			const { items } = await n8n.runChorusPro(depositFile(), {
				items: [
					{
						binary: {
							data: {
								data: Buffer.from(chorusFixtures.makeUblXml()),
								fileName: 'f.xml',
								mimeType: 'application/xml',
							},
						},
					},
				],
			});
			return String(items[0].json.numeroFluxDepot);
		}

		it('emits each watched deposit once when it reaches its final state; ones final at activation are not emitted', async () => {
			await admin('/config', { fluxPollsToFinal: 3 });
			const alreadyDone = await depositFlux();
			await admin(`/flux/${alreadyDone}/process`, {});
			const pending = await depositFlux();
			const params = {
				event: 'depositProcessed',
				fluxNumbers: `${alreadyDone}, ${pending}`,
				options: {},
			};
			const activation = { staticData: {} };
			const polls = [];
			for (let poll = 0; poll < 4; poll++)
				polls.push((await n8n.poll(params, activation)).items.map((item) => item.json));
			const emitted = polls.flat();
			expect(emitted).toEqual([
				expect.objectContaining({
					event: 'depositProcessed',
					fluxNumber: pending,
					state: 'IN_INTEGRE',
					isFinal: true,
					isSuccess: true,
				}),
			]);
		});
	});

	describe('New Received Invoice (public buyer side)', () => {
		it('emits an invoice once when it is made available to the buyer', async () => {
			const [id] = await newInvoices(1);
			const params = { event: 'newReceivedInvoice', options: {} };
			const activation = { staticData: {} };
			expect((await recipientN8n.poll(params, activation)).items).toEqual([]);
			await admin(`/invoices/${id}/status`, { statut: 'MISE_A_DISPOSITION' });
			const { items } = await recipientN8n.poll(params, activation);
			expect(items.map((item) => item.json)).toEqual([
				expect.objectContaining({
					event: 'newReceivedInvoice',
					invoiceId: id,
					status: 'MISE_A_DISPOSITION',
				}),
			]);
			expect((await recipientN8n.poll(params, activation)).items).toEqual([]);
			const search = [...(await loggedRequests())]
				.reverse()
				.find((r) => r.path === '/cpro/factures/v1/rechercher/recipiendaire');
			// Every status is asked for and MISE_A_DISPOSITION kept by the trigger: with the status as a
			// filter, an invoice processed while the pages are read would shift the list under the search.
			expect(search?.body).toEqual({
				typeDemandePaiement: 'FACTURE',
				periodeDateHeureEtatCourantDu: expect.stringMatching(
					/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/,
				),
				paramRecherche: expect.objectContaining({
					triColonne: 'DateHeureEtatCourant',
					triSens: 'Ascendant',
				}),
			});
		});
	});
});
