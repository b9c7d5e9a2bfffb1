import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { properties } from './actions/resources';
import * as loadOptions from './methods/loadOptions';
import { searchRecipients, searchServices, searchStructures } from './methods/listSearch';
import { route } from './actions/router';

export class ChorusPro implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Chorus Pro',
		name: 'chorusPro',
		icon: { light: 'file:../../icons/chorusPro.svg', dark: 'file:../../icons/chorusPro.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Send e-invoices to French public buyers through Chorus Pro (PISTE API) and follow them until paid',
		defaults: { name: 'Chorus Pro' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'chorusProApi', required: true }],
		properties,
	};

	methods = {
		listSearch: { searchRecipients, searchServices, searchStructures },
		loadOptions: { ...loadOptions },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
