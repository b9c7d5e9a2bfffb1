import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { CREDENTIAL_NAME } from '../../credentials/ChorusProApi.credentials';
import { properties } from './actions/resources';
import * as loadOptions from './methods/loadOptions';
import {
	searchRecipientStructures,
	searchRecipients,
	searchServices,
	searchStructures,
	searchSupplierStructures,
} from './methods/listSearch';
import { route } from './actions/router';
import { operationSubtitle } from './shared/descriptions';

export class ChorusPro implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Chorus Pro',
		name: 'chorusPro',
		icon: { light: 'file:../../icons/chorusPro.svg', dark: 'file:../../icons/chorusPro.dark.svg' },
		group: ['output'],
		version: 1,
		// "Get Status History: Received Invoice": n8n's "operation: resource", with the names shown.
		subtitle: operationSubtitle(properties),
		description:
			'Send e-invoices to French public buyers through Chorus Pro (PISTE API) and follow them until paid',
		defaults: { name: 'Chorus Pro' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_NAME, required: true }],
		properties,
	};

	methods = {
		listSearch: {
			searchRecipientStructures,
			searchRecipients,
			searchServices,
			searchStructures,
			searchSupplierStructures,
		},
		loadOptions: { ...loadOptions },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
