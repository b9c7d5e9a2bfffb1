import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { TestInstance } from './engine/run';
import {
	admin,
	clearLog,
	injectFault,
	lastRequest,
	loggedRequests,
	resetSandbox,
	sandboxCredential,
} from './support/sandbox';

const SUPPLIER_ID = 26300989;
const recipient = (siret: string) => ({ __rl: true, mode: 'siret', value: siret });

let serial = 0;
const number = () => `OP-${Date.now().toString(36).slice(-5)}-${++serial}`;

const submitByFields = (overrides: INodeParameters = {}): INodeParameters => ({
	resource: 'invoice',
	operation: 'submit',
	submitMode: 'fields',
	supplierStructure: SUPPLIER_ID,
	recipient: recipient('00000000012887'),
	serviceCode: '',
	commitmentNumber: '',
	invoiceNumber: number(),
	invoiceDate: '2026-11-20T00:00:00',
	invoiceType: 'FACTURE',
	lines: {
		line: [
			{
				reference: 'R1',
				description: 'Consulting',
				quantity: 10,
				unit: 'hour',
				unitPrice: 100,
				discount: 0,
				vatRate: 'TVA6',
			},
			{
				reference: 'R2',
				description: 'Books',
				quantity: 2,
				unit: 'piece',
				unitPrice: 25,
				discount: 0,
				vatRate: '5.5',
			},
		],
	},
	totals: {},
	additionalFields: {},
	...overrides,
});

describe('Invoice operations through the engine', () => {
	let n8n: TestInstance;

	beforeAll(async () => {
		await resetSandbox();
		n8n = new TestInstance(sandboxCredential());
	});

	beforeEach(clearLog);

	async function submitted(overrides: INodeParameters = {}): Promise<number> {
		const { items, error } = await n8n.runChorusPro(submitByFields(overrides));
		expect(error).toBeUndefined();
		return Number(items[0].json.identifiantFactureCPP);
	}

	describe('Submit', () => {
		it('by fields: lines, VAT lines and totals computed, keys as the API wants them', async () => {
			const invoiceNumber = number();
			const { items, error } = await n8n.runChorusPro(submitByFields({ invoiceNumber }));
			expect(error).toBeUndefined();
			expect(items[0].json).toMatchObject({
				identifiantFactureCPP: expect.any(Number),
				numeroFacture: invoiceNumber,
				statutFacture: 'DEPOSEE',
				dateDepot: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
				summary: {
					invoiceNumber,
					status: 'DEPOSEE',
					amounts: {
						montantHtTotal: 1050,
						montantTVA: 202.75,
						montantTtcTotal: 1252.75,
						montantAPayer: 1252.75,
					},
				},
			});
			const sent = await lastRequest('/cpro/factures/v1/soumettre');
			expect(sent?.body).toEqual({
				modeDepot: 'SAISIE_API',
				numeroFactureSaisi: invoiceNumber,
				dateFacture: '2026-11-20',
				destinataire: { codeDestinataire: '00000000012887' },
				fournisseur: { idFournisseur: SUPPLIER_ID },
				cadreDeFacturation: { codeCadreFacturation: 'A1_FACTURE_FOURNISSEUR' },
				references: {
					deviseFacture: 'EUR',
					typeFacture: 'FACTURE',
					typeTva: 'TVA_SUR_DEBIT',
					modePaiement: 'VIREMENT',
				},
				lignePoste: [
					expect.objectContaining({
						lignePosteNumero: 1,
						lignePosteDenomination: 'Consulting',
						lignePosteQuantite: 10,
						lignePosteMontantUnitaireHT: 100,
						lignePosteTauxTva: 'TVA6',
					}),
					expect.objectContaining({ lignePosteNumero: 2, lignePosteTauxTvaManuel: 5.5 }),
				],
				ligneTva: [
					{
						ligneTvaMontantBaseHtParTaux: 1000,
						ligneTvaMontantTvaParTaux: 200,
						ligneTvaTaux: 'TVA6',
					},
					{
						ligneTvaMontantBaseHtParTaux: 50,
						ligneTvaMontantTvaParTaux: 2.75,
						ligneTvaTauxManuel: 5.5,
					},
				],
				montantTotal: {
					montantHtTotal: 1050,
					montantTVA: 202.75,
					montantTtcTotal: 1252.75,
					montantRemiseGlobaleTTC: 0,
					montantAPayer: 1252.75,
				},
			});
		});

		it('from a PDF: uploads it (deposer pdf), then submits with DEPOT_PDF_API and the attachment id', async () => {
			const pdf = chorusFixtures.makeInvoicePdf({ number: 'PDF-1' });
			const { items, error } = await n8n.runChorusPro(
				submitByFields({
					submitMode: 'pdf',
					binaryPropertyName: 'data',
					pdfFormat: 'PDF_NON_SIGNE',
					lines: {},
					totals: { totalExclTax: 1000, totalVat: 200 },
				}),
				{
					items: [
						{
							binary: { data: { data: pdf, fileName: 'facture.pdf', mimeType: 'application/pdf' } },
						},
					],
				},
			);
			expect(error).toBeUndefined();
			expect(items[0].json).toMatchObject({
				statutFacture: 'DEPOSEE',
				pdfUpload: { pieceJointeId: expect.any(Number) },
			});
			const upload = await lastRequest('/cpro/factures/v1/deposer/pdf');
			expect(upload?.body).toEqual({
				fichierFacture: pdf.toString('base64'),
				nomFichier: 'facture.pdf',
				formatDepot: 'PDF_NON_SIGNE',
			});
			const sent = (await lastRequest('/cpro/factures/v1/soumettre'))?.body as IDataObject;
			expect(sent).toMatchObject({
				modeDepot: 'DEPOT_PDF_API',
				pieceJointePrincipale: [
					{
						pieceJointePrincipaleDesignation: 'facture',
						pieceJointePrincipaleId: (items[0].json.pdfUpload as IDataObject).pieceJointeId,
					},
				],
				montantTotal: {
					montantHtTotal: 1000,
					montantTVA: 200,
					montantTtcTotal: 1200,
					montantAPayer: 1200,
				},
			});
			expect(sent).not.toHaveProperty('lignePoste');
		});

		it('fails clearly when an upload or a submission answers success without its id', async () => {
			const pdfInvoice = (invoiceNumber: string) =>
				n8n.runChorusPro(
					submitByFields({
						invoiceNumber,
						submitMode: 'pdf',
						binaryPropertyName: 'data',
						pdfFormat: 'PDF_NON_SIGNE',
						lines: {},
						totals: { totalExclTax: 1000, totalVat: 200 },
					}),
					{
						items: [
							{
								binary: {
									data: {
										data: chorusFixtures.makeInvoicePdf({ number: invoiceNumber }),
										fileName: 'facture.pdf',
										mimeType: 'application/pdf',
									},
								},
							},
						],
					},
				);
			const noUploadId = { codeRetour: 0, libelle: 'CODE PAR DEFAUT', numeroFacture: '100' };
			await injectFault({
				path: '/cpro/factures/v1/deposer/pdf',
				count: 1,
				status: 200,
				body: noUploadId,
			});
			const upload = await pdfInvoice(number());
			expect(upload.error?.message).toBe('Chorus Pro answered success without pieceJointeId');
			expect(upload.error?.description).toMatch(/No invoice was created/);
			expect(await lastRequest('/cpro/factures/v1/soumettre')).toBeUndefined();

			const noInvoiceId = { codeRetour: 0, libelle: 'GCU_MSG_01_000', statutFacture: 'DEPOSEE' };
			await injectFault({
				path: '/cpro/factures/v1/soumettre',
				count: 1,
				status: 200,
				body: noInvoiceId,
			});
			const submit = await pdfInvoice(number());
			expect(submit.error?.message).toBe(
				'Chorus Pro answered success without identifiantFactureCPP',
			);
			expect(submit.error?.description).toMatch(/may or may not have been created.*Invoice > Search/);
		});

		it('refuses a PDF over 10 MB before uploading it', async () => {
			const big = Buffer.concat([
				chorusFixtures.makePdf('big'),
				Buffer.alloc(10 * 1024 * 1024 + 1),
			]);
			const { error } = await n8n.runChorusPro(
				submitByFields({
					submitMode: 'pdf',
					binaryPropertyName: 'data',
					pdfFormat: 'PDF_NON_SIGNE',
					lines: {},
					totals: { totalExclTax: 10, totalVat: 2 },
				}),
				{
					items: [
						{ binary: { data: { data: big, fileName: 'big.pdf', mimeType: 'application/pdf' } } },
					],
				},
			);
			expect(error?.message).toBe('The file "big.pdf" is too large for Chorus Pro');
			expect(error?.description).toMatch(/at most 10\.0 MB; this one weighs 10\.0 MB/);
			expect(
				(await loggedRequests()).filter((r) => r.path === '/cpro/factures/v1/deposer/pdf'),
			).toHaveLength(0);
		});

		it.each([
			['12345678200028', {}, 'requires a service code'],
			['12345678200036', {}, 'requires a commitment number (EJ)'],
			['12345678200044', {}, 'requires a service code or a commitment number (EJ)'],
			[
				'12345678200028',
				{ serviceCode: 'SERVICE_EJ_OBL' },
				'The service "SERVICE_EJ_OBL" of Destinataire avec service obligatoire requires a commitment number (EJ)',
			],
			['12345678200028', { serviceCode: 'NOPE' }, 'has no service "NOPE"'],
			['99999999999999', {}, 'No public buyer has the SIRET 99999999999999 on Chorus Pro'],
		])('checks the requirements of %s before sending (%j)', async (siret, extra, message) => {
			const { error } = await n8n.runChorusPro(
				submitByFields({ recipient: recipient(siret), ...extra }),
			);
			expect(error?.message).toContain(message);
			expect(
				(await loggedRequests()).filter((r) => r.path === '/cpro/factures/v1/soumettre'),
			).toHaveLength(0);
		});

		it('sends when the requirements are met (service and EJ)', async () => {
			const { error } = await n8n.runChorusPro(
				submitByFields({
					recipient: recipient('12345678200028'),
					serviceCode: 'SERVICE_EJ_OBL',
					commitmentNumber: 'EJ-2024-1',
				}),
			);
			expect(error).toBeUndefined();
			const sent = (await lastRequest('/cpro/factures/v1/soumettre'))?.body as IDataObject;
			expect(sent.destinataire).toEqual({
				codeDestinataire: '12345678200028',
				codeServiceExecutant: 'SERVICE_EJ_OBL',
			});
			expect(sent.references).toMatchObject({ numeroBonCommande: 'EJ-2024-1' });
		});

		it('looks the recipient up once for a batch of invoices to the same buyer', async () => {
			const { items, error } = await n8n.runChorusPro(
				submitByFields({ invoiceNumber: '={{ $json.number }}' }),
				{ items: [1, 2, 3].map(() => ({ json: { number: number() } })) },
			);
			expect(error).toBeUndefined();
			expect(items).toHaveLength(3);
			const log = await loggedRequests();
			expect(log.filter((r) => r.path === '/cpro/structures/v1/consulter')).toHaveLength(1);
			expect(log.filter((r) => r.path === '/cpro/transverses/v1/recuperer/tauxtva')).toHaveLength(
				1,
			);
			expect(log.filter((r) => r.path === '/cpro/factures/v1/soumettre')).toHaveLength(3);
		});

		it('reads fields whose expression resolves to nothing or to a number (empty or numeric spreadsheet cells)', async () => {
			const { items, error } = await n8n.runChorusPro(
				submitByFields({
					serviceCode: '={{ $json.service_code }}',
					commitmentNumber: '={{ $json.commitment_number }}',
					invoiceNumber: '={{ $json.number }}',
				}),
				{ items: [{ json: { number: Number(`${Date.now()}`.slice(-9)) } }] },
			);
			expect(error).toBeUndefined();
			expect(items[0].json.statutFacture).toBe('DEPOSEE');
			const sent = (await lastRequest('/cpro/factures/v1/soumettre'))?.body as IDataObject;
			expect(sent.destinataire).toEqual({ codeDestinataire: '00000000012887' });
			expect(sent.references).not.toHaveProperty('numeroBonCommande');
		});

		it('names the field of a bad invoice number or a missing line', async () => {
			const bad = await n8n.runChorusPro(submitByFields({ invoiceNumber: 'FACTURE NUMÉRO 1' }));
			expect(bad.error?.message).toBe(
				'The invoice number "FACTURE NUMÉRO 1" is not accepted by Chorus Pro',
			);
			const empty = await n8n.runChorusPro(submitByFields({ lines: {} }));
			expect(empty.error?.message).toBe('Add at least one invoice line');
		});

		it('reports a duplicate invoice number with the Chorus code and message', async () => {
			const invoiceNumber = number();
			await submitted({ invoiceNumber });
			const { items } = await n8n.runChorusPro(submitByFields({ invoiceNumber }), {
				continueOnFail: true,
			});
			expect(items[0].json).toMatchObject({
				error: expect.stringMatching(/^Chorus Pro refused the request: /),
				codeRetour: 20013,
				httpStatus: 400,
			});
		});

		it('uploads supplementary attachments and references them', async () => {
			const { error } = await n8n.runChorusPro(
				submitByFields({
					additionalFields: { attachmentProperties: 'timesheet', attachmentType: 'DIVERS' },
				}),
				{
					items: [
						{
							binary: {
								timesheet: {
									data: Buffer.from('a;b\n1;2\n'),
									fileName: 'timesheet.csv',
									mimeType: 'text/csv',
								},
							},
						},
					],
				},
			);
			expect(error).toBeUndefined();
			const added = await lastRequest('/cpro/transverses/v1/ajouter/fichier');
			expect(added?.body).toMatchObject({
				pieceJointeNom: 'timesheet.csv',
				pieceJointeExtension: 'csv',
				pieceJointeTypeMime: 'text/csv',
			});
			const sent = (await lastRequest('/cpro/factures/v1/soumettre'))?.body as IDataObject;
			expect(sent.pieceJointeComplementaire).toEqual([
				{
					pieceJointeComplementaireDesignation: 'timesheet',
					pieceJointeComplementaireType: 'DIVERS',
					pieceJointeComplementaireId: expect.any(Number),
				},
			]);
		});
	});

	describe('Get, history, download', () => {
		let invoiceId: number;

		beforeAll(async () => {
			invoiceId = await submitted();
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

	describe('Complete and Recycle', () => {
		it('Complete: a suspended invoice gets COMPLETEE; a non-suspended one is refused with a hint', async () => {
			const invoiceId = await submitted();
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
			const invoiceId = await submitted();
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
			{
				resource: 'invoice',
				operation: 'deposit',
				binaryPropertyName: 'data',
				syntax: 'auto',
				waitForProcessing: true,
				options: { pollInterval: 1 },
			},
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
