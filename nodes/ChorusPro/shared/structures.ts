import type { IDataObject, IExecuteFunctions, INodeParameterResourceLocator } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ExecutionCache } from './cache';
import { cached } from './cache';

import { chorusRequestAll } from '../transport/paginate';
import { chorusRequest } from '../transport/request';
import { SERVICES } from '../transport/services';

function locatorOf(
	this: IExecuteFunctions,
	name: string,
	itemIndex: number,
): INodeParameterResourceLocator {
	return this.getNodeParameter(name, itemIndex) as INodeParameterResourceLocator;
}

function requireValue(
	this: IExecuteFunctions,
	locator: INodeParameterResourceLocator,
	what: string,
	itemIndex: number,
): string {
	const value = String(locator.value ?? '').trim();
	if (!value) {
		throw new NodeOperationError(this.getNode(), `${what} is empty`, {
			itemIndex,
			description: `Pick ${what.toLowerCase()} from the list, or give its ${locator.mode === 'siret' ? 'SIRET' : 'identifier'}.`,
		});
	}
	return value;
}

/**
 * A SIRET as people write it (`123 456 789 00012`, with dots or non-breaking spaces) reduced to its
 * 14 digits, or undefined when it is not 14 digits.
 */
export function siretOf(value: unknown): string | undefined {
	const digits = String(value ?? '').replace(/[\s.\-\u00a0\u202f]/g, '');
	return /^[0-9]{14}$/.test(digits) ? digits : undefined;
}

/**
 * Structures whose SIRET is exactly `siret` (public ones and the account's own private ones), read
 * once per execution.
 */
export async function findStructuresBySiret(
	this: IExecuteFunctions,
	cache: ExecutionCache,
	siret: string,
	itemIndex: number,
): Promise<IDataObject[]> {
	return await cached(
		cache,
		`structure:${siret}`,
		async () =>
			await chorusRequestAll.call(
				this,
				SERVICES.searchStructures,
				{ structure: { identifiantStructure: siret, typeIdentifiantStructure: 'SIRET' } },
				{ itemIndex, limit: 10 },
			),
	);
}

/** The details of a structure (general information, parameters), read once per execution. */
export async function structureDetails(
	this: IExecuteFunctions,
	cache: ExecutionCache,
	idStructureCPP: number,
	itemIndex: number,
): Promise<IDataObject> {
	return await cached(
		cache,
		`consult:${idStructureCPP}`,
		async () =>
			await chorusRequest.call(
				this,
				SERVICES.getStructure,
				{ idStructureCPP, codeLangue: 'FR' },
				{ itemIndex },
			),
	);
}

/** The services of a structure, read once per execution. */
export async function structureServices(
	this: IExecuteFunctions,
	cache: ExecutionCache,
	idStructure: number,
	itemIndex: number,
): Promise<IDataObject[]> {
	return await cached(
		cache,
		`services:${idStructure}`,
		async () =>
			await chorusRequestAll.call(this, SERVICES.searchServices, { idStructure }, { itemIndex }),
	);
}

/** The details of one service of a structure (its parameters), read once per execution. */
export async function serviceDetails(
	this: IExecuteFunctions,
	cache: ExecutionCache,
	idStructure: number,
	idService: number,
	itemIndex: number,
): Promise<IDataObject> {
	return await cached(
		cache,
		`service:${idStructure}:${idService}`,
		async () =>
			await chorusRequest.call(
				this,
				SERVICES.getService,
				{ idStructure, idService, codeLangue: 'FR' },
				{ itemIndex },
			),
	);
}

/** The Chorus Pro id (idStructureCPP) of the structure chosen in a structure locator. */
export async function resolveStructureId(
	this: IExecuteFunctions,
	cache: ExecutionCache,
	name: string,
	itemIndex: number,
): Promise<number> {
	const locator = locatorOf.call(this, name, itemIndex);
	const value = requireValue.call(this, locator, 'The structure', itemIndex);
	if (locator.mode !== 'siret') {
		const id = Number(value);
		if (!Number.isSafeInteger(id) || id <= 0) {
			throw new NodeOperationError(this.getNode(), `"${value}" is not a Chorus Pro structure ID`, {
				itemIndex,
				description: 'A Chorus Pro structure ID is a number; to give a SIRET, choose "By SIRET".',
			});
		}
		return id;
	}
	const siret = siretOf(value);
	if (!siret) {
		throw new NodeOperationError(this.getNode(), `"${value}" is not a SIRET`, {
			itemIndex,
			description: 'A SIRET has 14 digits (spaces and dots between them are ignored).',
		});
	}
	const [structure] = await findStructuresBySiret.call(this, cache, siret, itemIndex);
	if (!structure) {
		throw new NodeOperationError(this.getNode(), `No Chorus Pro structure has the SIRET ${value}`, {
			itemIndex,
			description:
				'Check the SIRET. In qualification only the fictitious structures of your test data set exist; in production the structure must be registered on Chorus Pro.',
		});
	}
	return Number(structure.idStructureCPP);
}

/** The Chorus Pro id (idService) of the service chosen in a service locator of structure `structureId`. */
export async function resolveServiceId(
	this: IExecuteFunctions,
	name: string,
	structureId: number,
	itemIndex: number,
): Promise<number> {
	const locator = locatorOf.call(this, name, itemIndex);
	const value = requireValue.call(this, locator, 'The service', itemIndex);
	if (locator.mode !== 'code') {
		const id = Number(value);
		if (!Number.isSafeInteger(id) || id <= 0) {
			throw new NodeOperationError(this.getNode(), `"${value}" is not a Chorus Pro service ID`, {
				itemIndex,
				description:
					'A Chorus Pro service ID is a number; to give a service code, choose "By Code".',
			});
		}
		return id;
	}
	const services = await chorusRequestAll.call(
		this,
		SERVICES.searchServices,
		{ idStructure: structureId },
		{ itemIndex },
	);
	const service = services.find((candidate) => candidate.codeService === value);
	if (!service) {
		throw new NodeOperationError(
			this.getNode(),
			`The structure has no service with the code "${value}"`,
			{
				itemIndex,
				description: `Known codes: ${services.map((candidate) => candidate.codeService).join(', ') || 'none'}.`,
			},
		);
	}
	return Number(service.idService);
}

/** The recipient's invoicing requirements (consulter structure `parametres`) as plain booleans. */
export function requirementsOf(parametres: IDataObject | undefined): IDataObject {
	const flag = (key: string) => parametres?.[key] === true;
	return {
		serviceCodeRequired: flag('codeServiceDoitEtreRenseigne'),
		commitmentNumberRequired: flag('numeroEJDoitEtreRenseigne'),
		serviceCodeOrCommitmentNumberRequired: flag('gestionNumeroEJOuCodeService'),
		paymentStatusNotReported: flag('statutMiseEnPaiementNestPasRemonte'),
		receivesThroughEdi: flag('recevoirDonneesViaEDI'),
	};
}
