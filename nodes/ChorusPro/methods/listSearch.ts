import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	INodeParameterResourceLocator,
} from 'n8n-workflow';

import { siretOf } from '../shared/structures';
import { chorusRequest } from '../transport/request';
import type { ChorusService } from '../transport/services';
import { SERVICES } from '../transport/services';

const PAGE_SIZE = 50;

function pageOf(answer: IDataObject, page: number): string | undefined {
	const pages = Number((answer.parametresRetour as IDataObject | undefined)?.pages);
	return Number.isFinite(pages) && page < pages ? String(page + 1) : undefined;
}

/** A page of structures matching a name or a SIRET, as list-search results. */
async function searchStructurePage(
	this: ILoadOptionsFunctions,
	filter: string | undefined,
	paginationToken: string | undefined,
	publicBuyers: boolean,
): Promise<INodeListSearchResult> {
	const page = Number(paginationToken) || 1;
	const text = (filter ?? '').trim();
	const siret = siretOf(text);
	const structure: IDataObject = siret
		? { identifiantStructure: siret }
		: text
			? { raisonSocialeStructure: text }
			: {};
	if (publicBuyers)
		Object.assign(structure, { typeStructure: 'PUBLIQUE', statutStructure: 'ACTIF' });
	const answer = await chorusRequest.call(this, SERVICES.searchStructures, {
		structure,
		parametres: {
			pageResultatDemandee: page,
			nbResultatsParPage: PAGE_SIZE,
			triColonne: 'DesignationStructure',
			triSens: 'Ascendant',
		},
	});
	const results: INodeListSearchItems[] = (
		(answer.listeStructures as IDataObject[] | undefined) ?? []
	).map((item) => ({
		name: `${String(item.designationStructure)} (${String(item.identifiantStructure)})`,
		// Buyers are invoiced by SIRET; other pickers need the Chorus Pro id.
		value: String(publicBuyers ? item.identifiantStructure : item.idStructureCPP),
	}));
	return { results, paginationToken: pageOf(answer, page) };
}

/** Structures by name or SIRET, for the structure pickers (value: Chorus Pro id). */
export async function searchStructures(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchStructurePage.call(this, filter, paginationToken, false);
}

/** Active public buyers by name or SIRET, for the recipient pickers (value: SIRET). */
export async function searchRecipients(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchStructurePage.call(this, filter, paginationToken, true);
}

/**
 * The technical account's own active structures of one side, by name or SIRET (value: Chorus Pro
 * ID). Chorus Pro gives them in one answer, without paging or filter: filtered here.
 */
async function searchOwnStructures(
	this: ILoadOptionsFunctions,
	service: ChorusService,
	filter: string | undefined,
): Promise<INodeListSearchResult> {
	const answer = await chorusRequest.call(this, service, {});
	const text = (filter ?? '').trim().toLowerCase();
	const siret = siretOf(text);
	const results: INodeListSearchItems[] = (
		(answer.listeStructures as IDataObject[] | undefined) ?? []
	)
		.map((item) => ({
			identifier: String(item.identifiant ?? item.identifiantStructure ?? ''),
			name: String(item.designationStructure ?? ''),
			value: String(item.idStructureCPP),
		}))
		.filter(
			(item) =>
				!text || item.name.toLowerCase().includes(text) || item.identifier.includes(siret ?? text),
		)
		.sort((a, b) => a.name.localeCompare(b.name))
		.map((item) => ({ name: `${item.name} (${item.identifier})`, value: item.value }));
	return { results };
}

/** The account's supplier structures, for the Supplier Structure picker (value: Chorus Pro ID). */
export async function searchSupplierStructures(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return await searchOwnStructures.call(this, SERVICES.activeSupplierStructures, filter);
}

/** The account's recipient structures (public buyer side), for received-invoice filters. */
export async function searchRecipientStructures(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return await searchOwnStructures.call(this, SERVICES.activeRecipientStructures, filter);
}

/** Services of the structure chosen in the same node, for the service pickers. */
export async function searchServices(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const structure = this.getCurrentNodeParameter('structure') as
		| INodeParameterResourceLocator
		| undefined;
	const idStructure = Number(structure?.mode === 'siret' ? NaN : structure?.value);
	if (!Number.isSafeInteger(idStructure) || idStructure <= 0) return { results: [] };
	const page = Number(paginationToken) || 1;
	const answer = await chorusRequest.call(this, SERVICES.searchServices, {
		idStructure,
		parametresRechercherServicesStructure: {
			pageResultatDemandee: page,
			nbResultatsParPage: PAGE_SIZE,
		},
	});
	const text = (filter ?? '').trim().toLowerCase();
	const results: INodeListSearchItems[] = (
		(answer.listeServices as IDataObject[] | undefined) ?? []
	)
		.filter((item) => item.estActif !== false)
		.filter(
			(item) =>
				!text ||
				`${String(item.codeService)} ${String(item.libelleService)}`.toLowerCase().includes(text),
		)
		.map((item) => ({
			name: `${String(item.libelleService)} (${String(item.codeService)})`,
			value: String(item.idService),
		}));
	return { results, paginationToken: pageOf(answer, page) };
}
