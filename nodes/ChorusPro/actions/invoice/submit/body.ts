import type { IDataObject } from 'n8n-workflow';

import { toChorusDate } from '../../../shared/dates';
import type { GivenTotals, PricedLine, Totals, VatLine } from '../../../shared/money';
import { invoiceAmounts } from '../../../shared/money';

/**
 * The request body of `factures/v1/soumettre`, built from an invoice's checked fields. Pure: it is
 * tested without HTTP (test/submit-body.test.ts), and the operation only sends what it returns.
 */

export interface InvoiceLine extends PricedLine {
	/** 1, 2, 3…: its position among the lines. */
	number: number;
	reference: string;
	description: string;
	unit: string;
}

/** An invoice to submit, as read from the node's parameters and checked. */
export interface InvoiceFields {
	supplierId: number;
	supplierServiceId?: number;
	bankAccountId?: number;
	serviceCode: string;
	commitmentNumber: string;
	marketNumber?: string;
	invoiceNumber: string;
	invoiceDate: Date;
	/** FACTURE, or AVOIR for a credit note. */
	invoiceType: string;
	/** The invoice a credit note corrects; sent for a credit note only. */
	originalInvoiceNumber: string;
	currency: string;
	vatRegime: string;
	paymentMode: string;
	invoicingFrame: string;
	/** Why an invoice without VAT is exempt (a Chorus Pro code). */
	vatExemptionReason?: string;
	comment: string;
	lines: InvoiceLine[];
	totals: GivenTotals & { globalDiscountReason?: string };
}

/** A comment longer than this is cut: Chorus Pro's limit. */
const MAX_COMMENT_LENGTH = 2000;
/** A line without a unit is counted in units. */
const DEFAULT_UNIT = 'unité';

function lignePoste(line: InvoiceLine): IDataObject {
	return {
		lignePosteNumero: line.number,
		lignePosteReference: line.reference || String(line.number),
		lignePosteDenomination: line.description,
		lignePosteQuantite: line.quantity,
		lignePosteUnite: line.unit || DEFAULT_UNIT,
		lignePosteMontantUnitaireHT: line.unitPrice,
		lignePosteMontantRemiseHT: line.discount,
		...(line.vat.code
			? { lignePosteTauxTva: line.vat.code }
			: { lignePosteTauxTvaManuel: line.vat.percent }),
	};
}

function ligneTva(line: VatLine): IDataObject {
	return {
		ligneTvaMontantBaseHtParTaux: line.base,
		ligneTvaMontantTvaParTaux: line.vat,
		...(line.rate.code
			? { ligneTvaTaux: line.rate.code }
			: { ligneTvaTauxManuel: line.rate.percent }),
	};
}

function montantTotal(totals: Totals, globalDiscountReason?: string): IDataObject {
	return {
		montantHtTotal: totals.exclTax,
		montantTVA: totals.vat,
		montantTtcTotal: totals.inclTax,
		montantRemiseGlobaleTTC: totals.globalDiscount,
		montantAPayer: totals.toPay,
		...(globalDiscountReason ? { motifRemiseGlobaleTTC: globalDiscountReason } : {}),
	};
}

function references(invoice: InvoiceFields): IDataObject {
	const result: IDataObject = {
		deviseFacture: invoice.currency,
		typeFacture: invoice.invoiceType,
		typeTva: invoice.vatRegime,
		modePaiement: invoice.paymentMode,
	};
	if (invoice.commitmentNumber) result.numeroBonCommande = invoice.commitmentNumber;
	if (invoice.marketNumber) result.numeroMarche = invoice.marketNumber;
	if (invoice.vatExemptionReason) result.motifExonerationTva = invoice.vatExemptionReason;
	if (invoice.invoiceType === 'AVOIR' && invoice.originalInvoiceNumber)
		result.numeroFactureOrigine = invoice.originalInvoiceNumber;
	return result;
}

/**
 * The `soumettre` body of an invoice keyed in by fields (modeDepot SAISIE_API), addressed to the
 * recipient's SIRET. Lines and VAT lines are sent when there are lines; the totals always.
 */
export function submitBody(invoice: InvoiceFields, recipientSiret: string): IDataObject {
	const { vatLines, totals } = invoiceAmounts(invoice.lines, invoice.totals);
	const fournisseur: IDataObject = { idFournisseur: invoice.supplierId };
	if (invoice.supplierServiceId !== undefined)
		fournisseur.idServiceFournisseur = invoice.supplierServiceId;
	if (invoice.bankAccountId !== undefined)
		fournisseur.codeCoordonneesBancairesFournisseur = invoice.bankAccountId;
	const body: IDataObject = {
		modeDepot: 'SAISIE_API',
		numeroFactureSaisi: invoice.invoiceNumber,
		dateFacture: toChorusDate(invoice.invoiceDate),
		destinataire: {
			codeDestinataire: recipientSiret,
			...(invoice.serviceCode ? { codeServiceExecutant: invoice.serviceCode } : {}),
		},
		fournisseur,
		cadreDeFacturation: { codeCadreFacturation: invoice.invoicingFrame },
		references: references(invoice),
		...(invoice.lines.length
			? { lignePoste: invoice.lines.map(lignePoste), ligneTva: vatLines.map(ligneTva) }
			: {}),
		montantTotal: montantTotal(totals, invoice.totals.globalDiscountReason),
	};
	if (invoice.comment) body.commentaire = invoice.comment.slice(0, MAX_COMMENT_LENGTH);
	return body;
}

/**
 * The body of an invoice whose PDF was uploaded (deposer/pdf gave `pieceJointeId`): the PDF is its
 * main attachment, and the deposit mode says whether it is signed.
 */
export function withMainPdf(
	body: IDataObject,
	pdf: { fileName: string; format: string },
	pieceJointeId: unknown,
): IDataObject {
	return {
		...body,
		modeDepot: pdf.format === 'PDF_NON_SIGNE' ? 'DEPOT_PDF_API' : 'DEPOT_PDF_SIGNE_API',
		pieceJointePrincipale: [
			{
				pieceJointePrincipaleDesignation: pdf.fileName.replace(/\.pdf$/i, '').slice(0, 100),
				pieceJointePrincipaleId: pieceJointeId,
			},
		],
	};
}
