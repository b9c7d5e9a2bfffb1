import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	INodeParameterResourceLocator,
} from 'n8n-workflow';

import { chorusRequest } from '../transport/request';
import { SERVICES } from '../transport/services';

const PAGE_SIZE = 50;

function pageOf(answer: IDataObject, page: number): string | undefined {
	const pages = Number((answer.parametresRetour as IDataObject | undefined)?.pages);
	return Number.isFinite(pages) && page < pages ? String(page + 1) : undefined;
}

/** Structures by name or SIRET, for the structure pickers. */
export async function searchStructures(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = Number(paginationToken) || 1;
	const text = (filter ?? '').trim();
	const structure: IDataObject = /^[0-9]{14}$/.test(text)
		? { identifiantStructure: text }
		: text
			? { raisonSocialeStructure: text }
			: {};
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
		value: String(item.idStructureCPP),
	}));
	return { results, paginationToken: pageOf(answer, page) };
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
