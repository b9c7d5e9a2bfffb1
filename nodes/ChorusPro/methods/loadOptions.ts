import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { locatorChoice } from '../shared/locators';
import { siretOf } from '../shared/structures';
import { chorusRequestAll } from '../transport/paginate';
import { chorusRequest } from '../transport/request';
import type { ChorusService } from '../transport/services';
import { SERVICES } from '../transport/services';

function sorted(options: INodePropertyOptions[]): INodePropertyOptions[] {
	return options.sort((a, b) => a.name.localeCompare(b.name));
}

async function list(
	this: ILoadOptionsFunctions,
	service: ChorusService,
	body: IDataObject,
	key: string,
): Promise<IDataObject[]> {
	const answer = await chorusRequest.call(this, service, body);
	return Array.isArray(answer[key]) ? (answer[key] as IDataObject[]) : [];
}

/** Valid bank details of the chosen supplier structure (a locator, or a plain ID in older workflows). */
export async function getBankAccounts(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const supplier = locatorChoice(this.getCurrentNodeParameter('supplierStructure'), 'id');
	const idStructure = Number(supplier.value || NaN);
	if (!Number.isSafeInteger(idStructure) || idStructure <= 0) return [];
	const accounts = await list.call(
		this,
		SERVICES.supplierBankAccounts,
		{ idStructure },
		'listeCoordonneeBancaire',
	);
	return sorted(
		accounts.map((account) => ({
			name: String(account.nomCoordonneeBancaire ?? account.idCoordonneeBancaire),
			value: Number(account.idCoordonneeBancaire),
		})),
	);
}

/** The Chorus Pro ID of the recipient chosen in the node: given in ID mode, else found by SIRET. */
async function recipientStructureId(this: ILoadOptionsFunctions): Promise<number | undefined> {
	const recipient = locatorChoice(this.getCurrentNodeParameter('recipient'), 'siret');
	if (recipient.mode === 'id') {
		const id = Number(recipient.value || NaN);
		return Number.isSafeInteger(id) && id > 0 ? id : undefined;
	}
	const siret = siretOf(recipient.value);
	if (!siret) return undefined;
	const [structure] = await list.call(
		this,
		SERVICES.searchStructures,
		{ structure: { identifiantStructure: siret, typeIdentifiantStructure: 'SIRET' } },
		'listeStructures',
	);
	return structure ? Number(structure.idStructureCPP) : undefined;
}

/** Active services of the chosen recipient, for the service code. */
export async function getRecipientServices(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const idStructure = await recipientStructureId.call(this);
	if (idStructure === undefined) return [];
	const services = await chorusRequestAll.call(this, SERVICES.searchServices, { idStructure });
	return [
		{ name: '- None -', value: '' },
		...sorted(
			services
				.filter((service) => service.estActif !== false)
				.map((service) => ({
					name: `${String(service.libelleService)} (${String(service.codeService)})`,
					value: String(service.codeService),
				})),
		),
	];
}

export async function getVatRates(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const rates = await list.call(this, SERVICES.vatRates, { codeLangue: 'EN' }, 'listeTauxTva');
	return rates
		.map((rate) => ({
			name: `${String(rate.valeurTauxTva)} % — ${String(rate.libelleTauxTva)} (${String(rate.codeTauxTva)})`,
			value: String(rate.codeTauxTva),
			rate: Number(rate.valeurTauxTva),
		}))
		.sort((a, b) => a.rate - b.rate || a.name.localeCompare(b.name))
		.map(({ name, value }) => ({ name, value }));
}

export async function getCurrencies(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const currencies = await list.call(
		this,
		SERVICES.currencies,
		{ codeLangue: 'EN' },
		'listeDevises',
	);
	return sorted(
		currencies.map((currency) => ({
			name: `${String(currency.libelleDevise)} (${String(currency.codeDevise)})`,
			value: String(currency.codeDevise),
		})),
	);
}

export async function getInvoicingFrames(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const frames = await list.call(
		this,
		SERVICES.invoicingFrames,
		{ typeDemandePaiement: 'FACTURE' },
		'listeCadreFacturation',
	);
	return frames.map((frame) => {
		const code = String(frame.codeCadreFacturation);
		const prefix = code.split('_')[0];
		const label = INVOICING_FRAMES[prefix];
		return { name: label ? `${prefix}: ${label}` : code, value: code };
	});
}

/**
 * English names of Chorus Pro's invoicing frames, by their prefix (A1_FACTURE_FOURNISSEUR...);
 * the codes themselves are listed in the README.
 */
const INVOICING_FRAMES: Record<string, string> = {
	A1: 'Supplier invoice',
	A2: 'Supplier invoice already paid',
	A3: 'Statement of court and legal fees',
	A4: 'Draft monthly statement, supplier (works)',
	A5: 'Interim payment request, supplier (works)',
	A6: 'Validated interim payment request, supplier (works)',
	A7: 'Draft final statement, supplier (works)',
	A8: 'Final account, supplier (works)',
	A9: 'Subcontractor invoice',
	A10: 'Draft monthly statement, subcontractor (works)',
	A11: 'Draft final statement, subcontractor (works)',
	A12: 'Co-contractor invoice',
	A13: 'Draft monthly statement, co-contractor (works)',
	A14: 'Draft final statement, co-contractor (works)',
	A15: 'Interim payment request, project manager (works)',
	A16: 'Validated interim payment request, project manager (works)',
	A17: 'Draft final account, project manager (works)',
	A18: 'Final account, project manager (works)',
	A19: 'Validated interim payment request, contracting authority (works)',
	A20: 'Final account, contracting authority (works)',
	A21: 'Refund request for domestic consumption tax (TIC)',
	A22: 'Draft final account, supplier, tacit procedure (works)',
	A23: 'Tacit final account, supplier (works)',
	A24: 'Tacit final account, project manager (works)',
	A25: 'Final account, project manager, tacit procedure (works)',
};

/** English names of Chorus Pro's payment modes (the codes are listed in the README). */
const PAYMENT_MODES: Record<string, string> = {
	AUTRE: 'Other',
	CHEQUE: 'Cheque',
	ESPECE: 'Cash',
	PRELEVEMENT: 'Direct debit',
	REPORT: 'Deferred payment',
	VIREMENT: 'Credit transfer',
};

export async function getPaymentModes(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const modes = await list.call(this, SERVICES.paymentModes, {}, 'listeModePaiement');
	return sorted(
		modes.map((mode) => {
			const code = String(mode.modePaiement);
			return { name: PAYMENT_MODES[code] ?? code, value: code };
		}),
	);
}

export async function getVatExemptionReasons(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const reasons = await list.call(
		this,
		SERVICES.vatExemptionReasons,
		{ codeLangue: 'EN' },
		'listeMotifsExonerationTva',
	);
	return sorted(
		reasons.map((reason) => ({
			name: String(reason.libelleMotifExonerationTva ?? reason.codeMotifExonerationTva),
			value: String(reason.codeMotifExonerationTva),
		})),
	);
}

export async function getAttachmentTypes(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const types = await list.call(
		this,
		SERVICES.attachmentTypes,
		{ codeLangue: 'EN', typeObjet: 'FACTURE' },
		'listeTypePieceJointe',
	);
	return sorted(
		types.map((type) => ({
			name: String(type.libelleTypePieceJointe ?? type.codeTypePieceJointe),
			value: String(type.codeTypePieceJointe),
		})),
	);
}
