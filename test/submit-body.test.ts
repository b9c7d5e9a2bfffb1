import type { InvoiceFields } from '../nodes/ChorusPro/actions/invoice/submit/body';
import { submitBody, withMainPdf } from '../nodes/ChorusPro/actions/invoice/submit/body';

const RECIPIENT_SIRET = '00000000012887';

/** An invoice as the reader gives it: the editor's defaults, two lines. */
const invoice = (overrides: Partial<InvoiceFields> = {}): InvoiceFields => ({
	supplierId: 26300989,
	serviceCode: '',
	commitmentNumber: '',
	invoiceNumber: 'F-2026-001',
	// 23:30 UTC is already the next day in Paris.
	invoiceDate: new Date('2026-11-19T23:30:00Z'),
	invoiceType: 'FACTURE',
	originalInvoiceNumber: '',
	currency: 'EUR',
	vatRegime: 'TVA_SUR_DEBIT',
	paymentMode: 'VIREMENT',
	invoicingFrame: 'A1_FACTURE_FOURNISSEUR',
	comment: '',
	lines: [
		{
			number: 1,
			reference: 'R1',
			description: 'Consulting',
			quantity: 10,
			unit: 'hour',
			unitPrice: 100,
			discount: 0,
			vat: { code: 'TVA6', percent: 20 },
		},
		{
			number: 2,
			reference: '',
			description: 'Books',
			quantity: 2,
			unit: '',
			unitPrice: 25,
			discount: 0,
			vat: { percent: 5.5 },
		},
	],
	totals: {},
	...overrides,
});

describe('submitBody: the soumettre request of an invoice keyed in by fields', () => {
	it('sends the lines, one VAT line per rate and the totals', () => {
		expect(submitBody(invoice(), RECIPIENT_SIRET)).toEqual({
			modeDepot: 'SAISIE_API',
			numeroFactureSaisi: 'F-2026-001',
			dateFacture: '2026-11-20',
			destinataire: { codeDestinataire: RECIPIENT_SIRET },
			fournisseur: { idFournisseur: 26300989 },
			cadreDeFacturation: { codeCadreFacturation: 'A1_FACTURE_FOURNISSEUR' },
			references: {
				deviseFacture: 'EUR',
				typeFacture: 'FACTURE',
				typeTva: 'TVA_SUR_DEBIT',
				modePaiement: 'VIREMENT',
			},
			lignePoste: [
				{
					lignePosteNumero: 1,
					lignePosteReference: 'R1',
					lignePosteDenomination: 'Consulting',
					lignePosteQuantite: 10,
					lignePosteUnite: 'hour',
					lignePosteMontantUnitaireHT: 100,
					lignePosteMontantRemiseHT: 0,
					lignePosteTauxTva: 'TVA6',
				},
				{
					// A line without reference or unit: its number, and the default unit.
					lignePosteNumero: 2,
					lignePosteReference: '2',
					lignePosteDenomination: 'Books',
					lignePosteQuantite: 2,
					lignePosteUnite: 'unité',
					lignePosteMontantUnitaireHT: 25,
					lignePosteMontantRemiseHT: 0,
					lignePosteTauxTvaManuel: 5.5,
				},
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

	it('without lines, sends the totals only', () => {
		const body = submitBody(invoice({ lines: [], totals: { exclTax: 1000 } }), RECIPIENT_SIRET);
		expect(body).not.toHaveProperty('lignePoste');
		expect(body).not.toHaveProperty('ligneTva');
		expect(body.montantTotal).toEqual({
			montantHtTotal: 1000,
			montantTVA: 200,
			montantTtcTotal: 1200,
			montantRemiseGlobaleTTC: 0,
			montantAPayer: 1200,
		});
	});

	it('line discounts and a global discount with its reason', () => {
		const [first] = invoice().lines;
		const body = submitBody(
			invoice({
				lines: [{ ...first, discount: 100 }],
				totals: { globalDiscount: 80, globalDiscountReason: 'Loyalty' },
			}),
			RECIPIENT_SIRET,
		);
		expect(body.lignePoste).toEqual([expect.objectContaining({ lignePosteMontantRemiseHT: 100 })]);
		expect(body.ligneTva).toEqual([
			{ ligneTvaMontantBaseHtParTaux: 900, ligneTvaMontantTvaParTaux: 180, ligneTvaTaux: 'TVA6' },
		]);
		expect(body.montantTotal).toEqual({
			montantHtTotal: 900,
			montantTVA: 180,
			montantTtcTotal: 1080,
			montantRemiseGlobaleTTC: 80,
			montantAPayer: 1000,
			motifRemiseGlobaleTTC: 'Loyalty',
		});
	});

	it('a credit note (AVOIR) names the invoice it corrects; an invoice never does', () => {
		const creditNote = submitBody(
			invoice({ invoiceType: 'AVOIR', originalInvoiceNumber: 'F-2026-000' }),
			RECIPIENT_SIRET,
		);
		expect(creditNote.references).toEqual({
			deviseFacture: 'EUR',
			typeFacture: 'AVOIR',
			typeTva: 'TVA_SUR_DEBIT',
			modePaiement: 'VIREMENT',
			numeroFactureOrigine: 'F-2026-000',
		});
		// Its amounts are those of its lines, as for an invoice.
		expect(creditNote.montantTotal).toEqual(submitBody(invoice(), RECIPIENT_SIRET).montantTotal);
		const stray = submitBody(invoice({ originalInvoiceNumber: 'F-2026-000' }), RECIPIENT_SIRET);
		expect(stray.references).not.toHaveProperty('numeroFactureOrigine');
	});

	it('a VAT-exempt invoice: the regime, the reason and 0 % lines', () => {
		const [first] = invoice().lines;
		const body = submitBody(
			invoice({
				vatRegime: 'EXONERATION',
				vatExemptionReason: 'ART_261_CGI',
				lines: [{ ...first, vat: { percent: 0 } }],
			}),
			RECIPIENT_SIRET,
		);
		expect(body.references).toMatchObject({
			typeTva: 'EXONERATION',
			motifExonerationTva: 'ART_261_CGI',
		});
		expect(body.ligneTva).toEqual([
			{ ligneTvaMontantBaseHtParTaux: 1000, ligneTvaMontantTvaParTaux: 0, ligneTvaTauxManuel: 0 },
		]);
		expect(body.montantTotal).toMatchObject({ montantTVA: 0, montantAPayer: 1000 });
	});

	it('the optional fields: service, commitment, market, supplier service, bank details, comment', () => {
		const body = submitBody(
			invoice({
				serviceCode: 'FINANCE',
				commitmentNumber: 'EJ-1',
				marketNumber: 'M-7',
				supplierServiceId: 10136558,
				bankAccountId: 42,
				comment: 'x'.repeat(2500),
			}),
			RECIPIENT_SIRET,
		);
		expect(body.destinataire).toEqual({
			codeDestinataire: RECIPIENT_SIRET,
			codeServiceExecutant: 'FINANCE',
		});
		expect(body.fournisseur).toEqual({
			idFournisseur: 26300989,
			idServiceFournisseur: 10136558,
			codeCoordonneesBancairesFournisseur: 42,
		});
		expect(body.references).toMatchObject({ numeroBonCommande: 'EJ-1', numeroMarche: 'M-7' });
		expect(body.commentaire).toBe('x'.repeat(2000));
	});
});

describe('withMainPdf: the body of an invoice whose PDF was uploaded', () => {
	const body = submitBody(invoice(), RECIPIENT_SIRET);

	it('makes the PDF the main attachment, in the deposit mode of its signature', () => {
		const unsigned = withMainPdf(body, { fileName: 'F-2026-001.PDF', format: 'PDF_NON_SIGNE' }, 77);
		expect(unsigned).toEqual({
			...body,
			modeDepot: 'DEPOT_PDF_API',
			pieceJointePrincipale: [
				{ pieceJointePrincipaleDesignation: 'F-2026-001', pieceJointePrincipaleId: 77 },
			],
		});
		const signed = withMainPdf(body, { fileName: 'a.pdf', format: 'PDF_SIGNE_PADES' }, 78);
		expect(signed.modeDepot).toBe('DEPOT_PDF_SIGNE_API');
		// The body it was given is left as it was.
		expect(body.modeDepot).toBe('SAISIE_API');
	});
});
