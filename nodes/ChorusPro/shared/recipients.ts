import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { chorusRequestAll } from '../transport/paginate';
import { chorusRequest } from '../transport/request';
import { SERVICES } from '../transport/services';
import type { ExecutionCache } from './cache';
import { cached } from './cache';
import { listMode, locator, siretMode } from './descriptions';
import { findStructuresBySiret, requirementsOf, siretOf } from './structures';

/** The public buyer an invoice goes to, by SIRET (codeDestinataire). */
export const recipientLocator = locator(
	'Recipient',
	'recipient',
	'The public buyer (destinataire), identified by its SIRET',
	[listMode('searchRecipients', 'Search a public buyer by name or SIRET...'), siretMode],
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
		'Service of the buyer that handles the invoice (code service exécutant); required by some buyers. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

export interface RecipientCheck {
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
	siretValue: string,
	serviceCode: string,
	commitmentNumber: string,
): Promise<RecipientCheck> {
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
	const [structure] = await cached(
		cache,
		`structure:${siret}`,
		async () => await findStructuresBySiret.call(this, siret, itemIndex),
	);
	if (!structure) {
		throw new NodeOperationError(
			this.getNode(),
			`No public buyer has the SIRET ${siret} on Chorus Pro`,
			{
				itemIndex,
				description:
					'Check the SIRET in the annuaire of Chorus Pro. In qualification only the structures of your test data set exist.',
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
	const details = await cached(
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
				'Give the commitment number (engagement juridique) from the purchase order in "Purchase Order / Commitment Number".',
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
		const services = await cached(
			cache,
			`services:${idStructureCPP}`,
			async () =>
				await chorusRequestAll.call(
					this,
					SERVICES.searchServices,
					{ idStructure: idStructureCPP },
					{ itemIndex },
				),
		);
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
		const serviceDetails = await cached(
			cache,
			`service:${idStructureCPP}:${idService}`,
			async () =>
				await chorusRequest.call(
					this,
					SERVICES.getService,
					{ idStructure: idStructureCPP, idService, codeLangue: 'FR' },
					{ itemIndex },
				),
		);
		if (
			(serviceDetails.parametres as IDataObject | undefined)?.numeroEngagement === true &&
			!commitmentNumber
		) {
			throw new NodeOperationError(
				this.getNode(),
				`The service "${serviceCode}" of ${name} requires a commitment number (EJ)`,
				{
					itemIndex,
					description: 'Give the commitment number (engagement juridique) from the purchase order.',
				},
			);
		}
	}
	return { siret, idStructureCPP, requirements };
}
