import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { chorusDateToIso, toChorusDateTime } from '../ChorusPro/shared/dates';
import { statusOptions } from '../ChorusPro/shared/invoiceSearch';
import { fluxStateSummary, invoiceStatusSummary } from '../ChorusPro/shared/statuses';
import { chorusRequestAll } from '../ChorusPro/transport/paginate';
import { chorusRequest, withoutEnvelope } from '../ChorusPro/transport/request';
import type { ChorusService } from '../ChorusPro/transport/services';
import { SERVICES } from '../ChorusPro/transport/services';

/**
 * What the trigger remembers between polls, in the workflow's static data (saved by n8n, shared by
 * every main and worker process):
 * - `cursor`: when the last successful poll started; the next one asks for changes since
 *   `cursor - overlap`, so a change stamped by a slower server clock is not missed;
 * - `recent`: the changes already emitted inside that overlapping window (`id|status|date` →
 *   date), so each is emitted once; older keys are dropped;
 * - `known`: the last status seen per open invoice, to give the previous status;
 * - `flux`: final states already emitted per watched flux number.
 * Nothing is written unless the poll succeeds, so a failed poll is simply done again.
 */
interface TriggerState {
	cursor?: string;
	recent?: Record<string, string>;
	known?: Record<string, string>;
	flux?: Record<string, string>;
}

const DEFAULT_OVERLAP_MINUTES = 10;

function startOfParisDay(date: Date): number {
	// A server that reads only the day of the period filter returns the whole day: keep its keys.
	return new Date(`${toChorusDateTime(date).slice(0, 10)}T00:00:00Z`).getTime() - 2 * 3600_000;
}

function invoiceEvent(
	event: string,
	invoice: IDataObject,
	previousStatus: string | undefined,
): IDataObject {
	const status = invoiceStatusSummary(invoice.statut);
	const previous = previousStatus ? invoiceStatusSummary(previousStatus) : undefined;
	return {
		event,
		invoiceId: invoice.identifiantFactureCPP ?? invoice.idFacture ?? null,
		invoiceNumber: invoice.numeroFacture ?? null,
		previousStatus: previous?.status ?? null,
		previousStatusLabel: previous?.statusLabel ?? null,
		...status,
		changedAt: chorusDateToIso(invoice.dateHeureEtatCourant) ?? null,
		recipient: {
			siret: invoice.codeDestinataire ?? null,
			name: invoice.designationDestinataire ?? null,
			id: invoice.idDestinataire ?? null,
			serviceCode: invoice.codeServiceExecutant ?? null,
		},
		supplier: {
			siret: invoice.codeFournisseur ?? null,
			name: invoice.designationFournisseur ?? null,
		},
		amounts: {
			excludingTax: invoice.montantHT ?? null,
			includingTax: invoice.montantTTC ?? null,
			toPay: invoice.montantAPayer ?? null,
			currency: invoice.devise ?? null,
		},
		invoice,
	};
}

export class ChorusProTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Chorus Pro Trigger',
		name: 'chorusProTrigger',
		icon: { light: 'file:../../icons/chorusPro.svg', dark: 'file:../../icons/chorusPro.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description:
			'Starts a workflow when a Chorus Pro invoice changes status, a deposit is processed or an invoice is received',
		defaults: { name: 'Chorus Pro Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'chorusProApi', required: true }],
		properties: [
			{
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
							'A deposited file (flux) reached its final state: integrated, partly integrated or rejected',
					},
					{
						name: 'New Received Invoice',
						value: 'newReceivedInvoice',
						description:
							'An invoice was made available to one of your structures as a public buyer',
					},
				],
			},
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
					'Deposits to watch, separated by commas, spaces or new lines; an expression can read them from a variable or a table your deposit workflow fills',
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
						typeOptions: { minValue: 0 },
						default: 0,
						description:
							'At the first activation, also emit what changed during these last hours; by default nothing older than the activation is emitted',
					},
					{
						displayName: 'Overlap (Minutes)',
						name: 'overlapMinutes',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: DEFAULT_OVERLAP_MINUTES,
						description:
							'How far each poll looks back before the previous one, to absorb clock differences with Chorus Pro; repeated changes are emitted once',
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

		const emitted =
			event === 'depositProcessed'
				? await pollDeposits.call(this, state, manual)
				: await pollInvoices.call(this, event, state, manual, options);
		return emitted.length ? [this.helpers.returnJsonArray(emitted)] : null;
	}
}

async function pollInvoices(
	this: IPollFunctions,
	event: string,
	state: TriggerState,
	manual: boolean,
	options: IDataObject,
): Promise<IDataObject[]> {
	const received = event === 'newReceivedInvoice';
	const service: ChorusService = received
		? SERVICES.searchRecipientInvoices
		: SERVICES.searchSupplierInvoices;
	const statuses = received
		? ['MISE_A_DISPOSITION']
		: ((this.getNodeParameter('statuses', []) as string[]) ?? []);
	const criteria: IDataObject = received
		? { typeDemandePaiement: 'FACTURE', statutCourant: 'MISE_A_DISPOSITION' }
		: {};
	const block = service.page?.block as string;

	if (manual) {
		// "Fetch Test Event": the latest matching change, state untouched.
		const [latest] = await chorusRequestAll.call(
			this,
			service,
			{
				...criteria,
				...(!received && statuses.length ? { statutCourant: statuses } : {}),
				[block]: { triColonne: 'DateHeureEtatCourant', triSens: 'Descendant' },
			},
			{ limit: 1 },
		);
		return latest ? [invoiceEvent(event, latest, undefined)] : [];
	}

	const now = new Date();
	if (!state.cursor) {
		const backfillHours = Number(options.backfillHours ?? 0);
		if (!(backfillHours > 0)) {
			state.cursor = now.toISOString();
			state.recent = {};
			state.known = {};
			return [];
		}
		state.cursor = new Date(now.getTime() - backfillHours * 3600_000).toISOString();
	}
	const overlapMs = Number(options.overlapMinutes ?? DEFAULT_OVERLAP_MINUTES) * 60_000;
	const from = new Date(new Date(state.cursor).getTime() - overlapMs);
	const invoices = await chorusRequestAll.call(this, service, {
		...criteria,
		periodeDateHeureEtatCourantDu: toChorusDateTime(from),
		[block]: { triColonne: 'DateHeureEtatCourant', triSens: 'Ascendant' },
	});

	// Computed aside and stored at the end: a failure above leaves the state as it was.
	const recent = { ...(state.recent ?? {}) };
	const known = { ...(state.known ?? {}) };
	const events: IDataObject[] = [];
	for (const invoice of invoices) {
		const id = String(invoice.identifiantFactureCPP ?? invoice.idFacture);
		const status = String(invoice.statut ?? '');
		const changedAt = chorusDateToIso(invoice.dateHeureEtatCourant) ?? '';
		const key = `${id}|${status}|${changedAt}`;
		const previous = known[id];
		if (!recent[key]) {
			recent[key] = changedAt || now.toISOString();
			if (!statuses.length || statuses.includes(status))
				events.push(invoiceEvent(event, invoice, previous));
		}
		if (invoiceStatusSummary(status).isFinal) delete known[id];
		else known[id] = status;
	}
	const keepFrom = startOfParisDay(from);
	for (const [key, changedAt] of Object.entries(recent)) {
		if (new Date(changedAt).getTime() < keepFrom) delete recent[key];
	}
	state.cursor = now.toISOString();
	state.recent = recent;
	state.known = received ? {} : known;
	return events;
}

async function pollDeposits(
	this: IPollFunctions,
	state: TriggerState,
	manual: boolean,
): Promise<IDataObject[]> {
	const watched = [
		...new Set(
			String(this.getNodeParameter('fluxNumbers', '') ?? '')
				.split(/[\s,;]+/)
				.map((value) => value.trim())
				.filter(Boolean),
		),
	];
	const report = async (fluxNumber: string) => {
		const answer = withoutEnvelope(
			await chorusRequest.call(this, SERVICES.fluxReport, { numeroFluxDepot: fluxNumber }),
		);
		return { fluxNumber, ...fluxStateSummary(answer.etatCourantDepotFlux), report: answer };
	};
	if (manual)
		return watched.length ? [{ event: 'depositProcessed', ...(await report(watched[0])) }] : [];

	const firstPoll = state.flux === undefined;
	const done: Record<string, string> = {};
	const events: IDataObject[] = [];
	for (const fluxNumber of watched) {
		const already = state.flux?.[fluxNumber];
		if (already) {
			done[fluxNumber] = already;
			continue;
		}
		const current = await report(fluxNumber);
		if (!current.isFinal) continue;
		done[fluxNumber] = current.state;
		// At activation, deposits already processed are history, not events.
		if (!firstPoll) events.push({ event: 'depositProcessed', ...current });
	}
	state.flux = done;
	return events;
}
