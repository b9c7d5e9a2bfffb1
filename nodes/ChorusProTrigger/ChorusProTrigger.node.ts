import type {
	IDataObject,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { CREDENTIAL_NAME } from '../../credentials/ChorusProApi.credentials';
import { optionSubtitle } from '../ChorusPro/shared/descriptions';
import { statusOptions } from '../ChorusPro/shared/invoiceSearch';
import { endRun } from '../ChorusPro/transport/retry';
import { pollDeposits } from './deposits';
import { DEFAULT_OVERLAP_MINUTES, pollInvoices } from './invoices';
import type { TriggerState } from './state';

const eventProperty: INodeProperties = {
	displayName: 'Event',
	name: 'event',
	type: 'options',
	default: 'invoiceStatusChanged',
	options: [
		{
			name: 'Invoice Status Changed',
			value: 'invoiceStatusChanged',
			description:
				'An invoice sent by your structures got a new status (rejected, suspended, paid…)',
		},
		{
			name: 'Deposit Processed',
			value: 'depositProcessed',
			description:
				'A deposited file reached its final state: integrated, partly integrated or rejected',
		},
		{
			name: 'New Received Invoice',
			value: 'newReceivedInvoice',
			description: 'An invoice was made available to one of your structures as a public buyer',
		},
	],
};

export class ChorusProTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Chorus Pro Trigger',
		name: 'chorusProTrigger',
		icon: { light: 'file:../../icons/chorusPro.svg', dark: 'file:../../icons/chorusPro.dark.svg' },
		group: ['trigger'],
		version: 1,
		// The name of the chosen event ("Invoice Status Changed"), not its value.
		subtitle: optionSubtitle(eventProperty),
		description:
			'Starts a workflow when a Chorus Pro invoice changes status, a deposit is processed or an invoice is received',
		defaults: { name: 'Chorus Pro Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_NAME, required: true }],
		properties: [
			eventProperty,
			{
				displayName: 'Only These Statuses',
				name: 'statuses',
				type: 'multiOptions',
				default: [],
				options: statusOptions,
				description: 'Emit only changes to these statuses; all changes when empty',
				displayOptions: { show: { event: ['invoiceStatusChanged'] } },
			},
			{
				displayName: 'Flux Numbers',
				name: 'fluxNumbers',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'e.g. CPP0011117000000000000042, CPP0011117000000000000043',
				description:
					'Deposits to watch, separated by commas, spaces or new lines; an expression can read them from a variable or a table your deposit workflow fills. A number Chorus Pro does not know comes out once as an item with event "fluxNotFound"; the others are followed as usual.',
				displayOptions: { show: { event: ['depositProcessed'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Backfill (Hours)',
						name: 'backfillHours',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 744 },
						default: 0,
						description:
							'At the first activation, also emit what changed during these last hours; by default nothing older than the activation is emitted',
					},
					{
						displayName: 'Overlap (Minutes)',
						name: 'overlapMinutes',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 1440 },
						default: DEFAULT_OVERLAP_MINUTES,
						description:
							'How far each poll looks back before the latest change it read, for changes Chorus Pro records late; repeated changes are emitted once',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const event = this.getNodeParameter('event') as string;
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const state = this.getWorkflowStaticData('node') as TriggerState;
		const manual = this.getMode() === 'manual';

		try {
			const emitted =
				event === 'depositProcessed'
					? await pollDeposits.call(this, state, manual)
					: await pollInvoices.call(this, event, state, manual, options);
			return emitted.length ? [this.helpers.returnJsonArray(emitted)] : null;
		} finally {
			endRun(this);
		}
	}
}
