import type { INodeProperties } from 'n8n-workflow';

import { dropdown } from '../types';
import * as complete from './complete.operation';
import * as deposit from './deposit.operation';
import * as download from './download.operation';
import * as get from './get.operation';
import * as getHistory from './getHistory.operation';
import * as recycle from './recycle.operation';
import * as search from './search.operation';
import * as submit from './submit.operation';
import * as validate from './validate.operation';

export const operations = {
	complete,
	deposit,
	download,
	get,
	getHistory,
	recycle,
	search,
	submit,
	validate,
};

export const description: INodeProperties[] = [
	dropdown<keyof typeof operations>({
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['invoice'] } },
		options: [
			{
				name: 'Complete',
				value: 'complete',
				description: 'Answer a suspended invoice with a comment and attachments',
				action: 'Complete a suspended invoice',
			},
			{
				name: 'Deposit File',
				value: 'deposit',
				description:
					'Send a Factur-X PDF, UBL or CII XML invoice, or a batch, and wait for its processing',
				action: 'Deposit an invoice file',
			},
			{
				name: 'Download',
				value: 'download',
				description: 'Get the invoice as a PDF or pivot XML file',
				action: 'Download an invoice',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Read an invoice sent by your structure',
				action: 'Get an invoice',
			},
			{
				name: 'Get Status History',
				value: 'getHistory',
				description: 'Every status the invoice went through, with dates and comments',
				action: 'Get the status history of an invoice',
			},
			{
				name: 'Recycle',
				value: 'recycle',
				description: 'Send an invoice "to recycle" to the right buyer or service',
				action: 'Recycle an invoice',
			},
			{
				name: 'Search',
				value: 'search',
				description: 'Find the invoices sent by your structures',
				action: 'Search invoices',
			},
			{
				name: 'Submit',
				value: 'submit',
				description: 'Create an invoice from a PDF or from its fields and lines',
				action: 'Submit an invoice',
			},
			{
				name: 'Validate File',
				value: 'validate',
				description:
					'Check a Factur-X PDF, UBL or CII file, or a batch, before depositing it: the file itself, and optionally the buyer and seller on Chorus Pro',
				action: 'Validate an invoice file',
			},
		],
		default: 'deposit',
	}),
	...deposit.description,
	...submit.description,
	...validate.description,
	...get.description,
	...getHistory.description,
	...search.description,
	...download.description,
	...complete.description,
	...recycle.description,
];
