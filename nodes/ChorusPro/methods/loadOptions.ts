import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeParameterResourceLocator,
	INodePropertyOptions,
} from 'n8n-workflow';

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

/** Supplier structures of the technical account (idFournisseur). */
export async function getSupplierStructures(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const structures = await list.call(
		this,
		SERVICES.activeSupplierStructures,
		{},
		'listeStructures',
	);
	return sorted(
		structures.map((structure) => ({
			name: `${String(structure.designationStructure)} (${String(structure.identifiant ?? structure.identifiantStructure)})`,
			value: Number(structure.idStructureCPP),
		})),
	);
}

/** Valid bank details of the chosen supplier structure. */
export async function getBankAccounts(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const idStructure = Number(this.getCurrentNodeParameter('supplierStructure'));
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

/** Active services of the chosen recipient (by SIRET), for the service code. */
export async function getRecipientServices(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const recipient = this.getCurrentNodeParameter('recipient') as
		| INodeParameterResourceLocator
		| undefined;
	const siret = siretOf(recipient?.value);
	if (!siret) return [];
	const [structure] = await list.call(
		this,
		SERVICES.searchStructures,
		{ structure: { identifiantStructure: siret, typeIdentifiantStructure: 'SIRET' } },
		'listeStructures',
	);
	if (!structure) return [];
	const services = await chorusRequestAll.call(this, SERVICES.searchServices, {
		idStructure: structure.idStructureCPP,
	});
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
	return frames.map((frame) => ({
		name: String(frame.codeCadreFacturation).replace(/_/g, ' '),
		value: String(frame.codeCadreFacturation),
	}));
}

export async function getPaymentModes(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const modes = await list.call(this, SERVICES.paymentModes, {}, 'listeModePaiement');
	return sorted(
		modes.map((mode) => ({ name: String(mode.modePaiement), value: String(mode.modePaiement) })),
	);
}

export async function getVatExemptionReasons(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const reasons = await list.call(
		this,
		SERVICES.vatExemptionReasons,
		{ codeLangue: 'FR' },
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
		{ codeLangue: 'FR', typeObjet: 'FACTURE' },
		'listeTypePieceJointe',
	);
	return sorted(
		types.map((type) => ({
			name: String(type.libelleTypePieceJointe ?? type.codeTypePieceJointe),
			value: String(type.codeTypePieceJointe),
		})),
	);
}
