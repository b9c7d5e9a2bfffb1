import type { IDataObject } from 'n8n-workflow';

import { TestInstance } from './engine/run';
import { admin, clearLog, lastRequest, resetSandbox, sandboxCredential } from './support/sandbox';
import { depositFile, number, recipient, submitted } from './support/invoices';

describe('Invoice › Complete, Recycle and Deposit › Get Report through the engine', () => {
	let n8n: TestInstance;

	beforeAll(async () => {
		await resetSandbox();
		n8n = new TestInstance(sandboxCredential());
	});

	beforeEach(clearLog);

	describe('Complete and Recycle', () => {
		it('Complete: a suspended invoice gets COMPLETEE; a non-suspended one is refused with a hint', async () => {
			const invoiceId = await submitted(n8n);
			const refused = await n8n.runChorusPro({
				resource: 'invoice',
				operation: 'complete',
				invoiceId: String(invoiceId),
				comment: 'Here it is',
			});
			expect(refused.error?.message).toMatch(/GDP_MSG_11\.033/);
			expect(refused.error?.description).toBe(
				'Only a suspended invoice (SUSPENDUE) can be completed.',
			);

			await admin(`/invoices/${invoiceId}/status`, {
				statut: 'SUSPENDUE',
				commentaire: 'Missing timesheet',
			});
			const { items, error } = await n8n.runChorusPro(
				{
					resource: 'invoice',
					operation: 'complete',
					invoiceId: String(invoiceId),
					comment: 'Timesheet attached',
					attachmentProperties: 'data',
					attachmentType: 'DIVERS',
				},
				{
					items: [
						{
							binary: {
								data: {
									data: chorusFixtures.makePdf('timesheet'),
									fileName: 'timesheet.pdf',
									mimeType: 'application/pdf',
								},
							},
						},
					],
				},
			);
			expect(error).toBeUndefined();
			expect(items[0].json.summary).toMatchObject({ invoiceId, status: 'COMPLETEE' });
			expect((await lastRequest('/cpro/factures/v1/completer'))?.body).toEqual({
				identifiantFactureCPP: invoiceId,
				commentaire: 'Timesheet attached',
				pieceJointeComplementaire: [
					expect.objectContaining({ pieceJointeComplementaireType: 'DIVERS' }),
				],
			});
			const history = await n8n.runChorusPro({
				resource: 'invoice',
				operation: 'getHistory',
				invoiceId: String(invoiceId),
			});
			expect(
				(history.items[0].json.summary as { history: IDataObject[] }).history[0],
			).toMatchObject({ status: 'COMPLETEE', comment: 'Timesheet attached' });
		});

		it('Recycle: checks the new buyer, then re-routes the invoice (DEPOSEE again)', async () => {
			const invoiceId = await submitted(n8n);
			await admin(`/invoices/${invoiceId}/status`, { statut: 'A_RECYCLER' });
			const missing = await n8n.runChorusPro({
				resource: 'invoice',
				operation: 'recycle',
				invoiceId: String(invoiceId),
				recipient: recipient('12345678200028'),
				serviceCode: '',
				comment: '',
			});
			expect(missing.error?.message).toBe(
				'Destinataire avec service obligatoire requires a service code',
			);

			const { items, error } = await n8n.runChorusPro({
				resource: 'invoice',
				operation: 'recycle',
				invoiceId: String(invoiceId),
				recipient: recipient('12345678200028'),
				serviceCode: 'SERVICE_DEST_SERV_OBL',
				comment: 'Right service',
			});
			expect(error).toBeUndefined();
			expect(items[0].json).toMatchObject({
				statutFacture: 'DEPOSEE',
				summary: { invoiceId, status: 'DEPOSEE' },
			});
			expect((await lastRequest('/cpro/factures/v1/recycler'))?.body).toEqual({
				identifiantFactureCPP: invoiceId,
				destinataire: {
					codeDestinataire: '12345678200028',
					codeServiceExecutant: 'SERVICE_DEST_SERV_OBL',
				},
				commentaire: 'Right service',
			});
		});
	});

	it('Deposit > Get Report: report, invoices and the PDF report as binary', async () => {
		const deposited = await n8n.runChorusPro(
			depositFile({ waitForProcessing: true, options: { pollInterval: 1 } }),
			{
				items: [
					{
						binary: {
							data: {
								data: Buffer.from(chorusFixtures.makeUblXml({ number: number() })),
								fileName: 'f.xml',
								mimeType: 'application/xml',
							},
						},
					},
				],
			},
		);
		const fluxNumber = String(deposited.items[0].json.numeroFluxDepot);
		const { items, error } = await n8n.runChorusPro({
			resource: 'flux',
			operation: 'getReport',
			fluxNumber,
			findInvoices: true,
			includePdf: true,
			outputBinaryPropertyName: 'report',
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			numeroFluxDepot: fluxNumber,
			etatCourantDepotFlux: 'IN_INTEGRE',
			listeErreurDP: [],
			summary: { state: 'IN_INTEGRE', isSuccess: true, invoiceIds: [expect.any(Number)] },
		});
		expect(items[0].binary?.report).toMatchObject({
			mimeType: 'application/pdf',
			fileName: `chorus-pro-report-${fluxNumber}.pdf`,
		});
		const unknown = await n8n.runChorusPro({
			resource: 'flux',
			operation: 'getReport',
			fluxNumber: 'CPP0011117999999999999999',
			findInvoices: true,
			includePdf: false,
		});
		expect(unknown.error?.message).toBe(
			'Chorus Pro refused the request: POQ_MSG_01.003 - Flux introuvable.',
		);
	});
});
