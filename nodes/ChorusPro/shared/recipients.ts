import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ExecutionCache } from './cache';
import { idMode, listMode, locator, siretMode } from './descriptions';
import type { LocatorChoice } from './locators';
import { chorusIdOf } from './locators';
import {
	findStructuresBySiret,
	requirementsOf,
	serviceDetails,
	siretOf,
	structureDetails,
	structureServices,
} from './structures';

/**
 * The public buyer an invoice goes to: picked from a search (the value is its SIRET, which the
 * invoice names), or given by SIRET or by Chorus Pro ID (then read to find its SIRET).
 */
export const recipientLocator = locator(
	'Recipient',
	'recipient',
	'The public buyer the invoice is for',
	[
		listMode('searchRecipients', 'Search a public buyer by name or SIRET...'),
		siretMode,
		idMode('e.g. 25783752', 'The Chorus Pro ID of the public buyer (a number), not its SIRET'),
	],
);

export const serviceCodeField: INodeProperties = {
	displayName: 'Service Code Name or ID',
	name: 'serviceCode',
	type: 'options',
	typeOptions: {
		loadOptionsMethod: 'getRecipientServices',
		loadOptionsDependsOn: ['recipient.value'],
	},
	default: '',
	description:
		'Service of the buyer that handles the invoice; required by some buyers. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

interface RecipientCheck {
	siret: string;
	idStructureCPP: number;
	requirements: IDataObject;
}

/**
 * Checks before sending what the buyer requires on its invoices (docs/chorus-pro-api.md §3.3):
 * a service code, a commitment number (EJ), one of the two, and a service that itself requires an
 * EJ. Missing data would make the invoice come back "to recycle" days later; here it fails at once.
 */
export async function checkRecipient(
	this: IExecuteFunctions,
	cache: ExecutionCache,
	itemIndex: number,
	recipient: LocatorChoice,
	serviceCode: string,
	commitmentNumber: string,
): Promise<RecipientCheck> {
	if (!recipient.value) {
		throw new NodeOperationError(this.getNode(), 'Choose the recipient', {
			itemIndex,
			description: 'Pick the public buyer from the list, or give its SIRET or Chorus Pro ID.',
		});
	}
	const givenId =
		recipient.mode === 'id'
			? chorusIdOf.call(this, recipient.value, 'The recipient', itemIndex)
			: undefined;
	const siretValue =
		givenId === undefined
			? recipient.value
			: await siretOfStructure.call(this, cache, givenId, itemIndex);
	const siret = siretOf(siretValue);
	if (!siret) {
		throw new NodeOperationError(
			this.getNode(),
			`The recipient SIRET "${siretValue.trim()}" is not valid`,
			{
				itemIndex,
				description: 'A SIRET has 14 digits (spaces and dots between them are ignored).',
			},
		);
	}
	const found = await findStructuresBySiret.call(this, cache, siret, itemIndex);
	const structure =
		found.find((candidate) => Number(candidate.idStructureCPP) === givenId) ?? found[0];
	if (!structure) {
		throw new NodeOperationError(
			this.getNode(),
			`No public buyer has the SIRET ${siret} on Chorus Pro`,
			{
				itemIndex,
				description:
					'Check the SIRET in the Chorus Pro directory. In qualification only the structures of your test data set exist.',
			},
		);
	}
	if (structure.statut === 'INACTIVE') {
		throw new NodeOperationError(
			this.getNode(),
			`The recipient ${siret} is inactive on Chorus Pro`,
			{
				itemIndex,
				description: 'It cannot receive invoices: ask the buyer which structure to invoice.',
			},
		);
	}
	const idStructureCPP = Number(structure.idStructureCPP);
	const details = await structureDetails.call(this, cache, idStructureCPP, itemIndex);
	const requirements = requirementsOf(details.parametres as IDataObject | undefined);
	const name = String(structure.designationStructure ?? siret);

	if (requirements.serviceCodeRequired && !serviceCode) {
		throw new NodeOperationError(this.getNode(), `${name} requires a service code`, {
			itemIndex,
			description: 'Choose the buyer\'s service in "Service Code" (it is on the purchase order).',
		});
	}
	if (requirements.commitmentNumberRequired && !commitmentNumber) {
		throw new NodeOperationError(this.getNode(), `${name} requires a commitment number (EJ)`, {
			itemIndex,
			description:
				'Give the commitment number from the purchase order in "Purchase Order / Commitment Number".',
		});
	}
	if (requirements.serviceCodeOrCommitmentNumberRequired && !serviceCode && !commitmentNumber) {
		throw new NodeOperationError(
			this.getNode(),
			`${name} requires a service code or a commitment number (EJ)`,
			{ itemIndex, description: 'Give at least one of them, from the purchase order.' },
		);
	}
	if (serviceCode) {
		const services = await structureServices.call(this, cache, idStructureCPP, itemIndex);
		const service = services.find((candidate) => candidate.codeService === serviceCode);
		const active = services
			.filter((candidate) => candidate.estActif !== false)
			.map((candidate) => candidate.codeService);
		if (!service || service.estActif === false) {
			throw new NodeOperationError(
				this.getNode(),
				`${name} has no ${service ? 'active ' : ''}service "${serviceCode}"`,
				{ itemIndex, description: `Its active services: ${active.join(', ') || 'none'}.` },
			);
		}
		const idService = Number(service.idService);
		const serviceInfo = await serviceDetails.call(
			this,
			cache,
			idStructureCPP,
			idService,
			itemIndex,
		);
		if (
			(serviceInfo.parametres as IDataObject | undefined)?.numeroEngagement === true &&
			!commitmentNumber
		) {
			throw new NodeOperationError(
				this.getNode(),
				`The service "${serviceCode}" of ${name} requires a commitment number (EJ)`,
				{
					itemIndex,
					description: 'Give the commitment number from the purchase order.',
				},
			);
		}
	}
	return { siret, idStructureCPP, requirements };
}

/** The SIRET of the structure with Chorus Pro ID `idStructureCPP` (read once per execution). */
async function siretOfStructure(
	this: IExecuteFunctions,
	cache: ExecutionCache,
	idStructureCPP: number,
	itemIndex: number,
): Promise<string> {
	const details = await structureDetails.call(this, cache, idStructureCPP, itemIndex);
	const info = (details.informationGenerales ?? {}) as IDataObject;
	const siret = siretOf(info.identifiantStructure);
	if (!siret || (info.typeIdentifiantStructure ?? 'SIRET') !== 'SIRET') {
		throw new NodeOperationError(
			this.getNode(),
			`The structure ${idStructureCPP} has no SIRET on Chorus Pro`,
			{
				itemIndex,
				description:
					'Invoices go to a public buyer identified by its SIRET: check the Chorus Pro ID, or give the SIRET instead.',
			},
		);
	}
	return siret;
}
