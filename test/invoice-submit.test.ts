import type { IDataObject } from 'n8n-workflow';

import { TestInstance } from './engine/run';
import {
	clearLog,
	injectFault,
	lastRequest,
	loggedRequests,
	resetSandbox,
	sandboxCredential,
} from './support/sandbox';
import { number, recipient, submitByFields, submitted, SUPPLIER_ID } from './support/invoices';

describe('Invoice › Submit through the engine', () => {
	let n8n: TestInstance;

	beforeAll(async () => {
		await resetSandbox();
		n8n = new TestInstance(sandboxCredential());
	});

	beforeEach(clearLog);

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
			expect(submit.error?.description).toMatch(
				/may or may not have been created.*Invoice > Search/,
			);
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
			await submitted(n8n, { invoiceNumber });
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
});
