import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { fluxStateSummary } from '../ChorusPro/shared/statuses';
import { chorusRequest, withoutEnvelope } from '../ChorusPro/transport/request';
import { SERVICES } from '../ChorusPro/transport/services';
import type { TriggerState } from './state';

/**
 * Final states of flux numbers taken out of the list are kept, so that a number removed and added
 * again is not emitted twice; at most this many, the earliest emitted forgotten first. The numbers
 * in the list are always kept (the list bounds them).
 */
const REMOVED_FLUX_MEMORY = 1000;

type FluxRead =
	| { report: IDataObject & { fluxNumber: string; state: string; isFinal: boolean } }
	| { refused: IDataObject };

function watchedFluxNumbers(value: unknown): string[] {
	return [
		...new Set(
			String(value ?? '')
				.split(/[\s,;]+/)
				.map((number) => number.trim())
				.filter(Boolean),
		),
	];
}

/** The report of one flux, or, when Chorus Pro refuses this number, the item that says so. */
async function readFlux(this: IPollFunctions, fluxNumber: string): Promise<FluxRead> {
	let failure: unknown;
	try {
		const answer = withoutEnvelope(
			await chorusRequest.call(this, SERVICES.fluxReport, { numeroFluxDepot: fluxNumber }),
		);
		return {
			report: { fluxNumber, ...fluxStateSummary(answer.etatCourantDepotFlux), report: answer },
		};
	} catch (error) {
		failure = error;
	}
	// Chorus Pro refused this number (a codeRetour with HTTP 200 or 4xx, e.g. POQ_MSG_01.003 "Flux
	// introuvable"): only this number is concerned. Anything else (network, PISTE, HTTP 5xx even with
	// a codeRetour) concerns every number: the poll fails, as n8n shows, and is done again.
	if (
		failure instanceof NodeApiError &&
		failure.context.codeRetour !== undefined &&
		!(Number(failure.context.httpStatus) >= 500)
	) {
		return {
			refused: {
				event: 'fluxNotFound',
				fluxNumber,
				error: failure.message,
				description: failure.description ?? null,
				codeRetour: failure.context.codeRetour,
				libelle: failure.context.libelle ?? null,
				httpStatus: failure.context.httpStatus ?? null,
			},
		};
	}
	throw failure;
}

/** Deposit Processed: one report request per watched flux not yet final. */
export async function pollDeposits(
	this: IPollFunctions,
	state: TriggerState,
	manual: boolean,
): Promise<IDataObject[]> {
	const watched = watchedFluxNumbers(this.getNodeParameter('fluxNumbers', ''));
	if (manual) {
		if (!watched.length) return [];
		const read = await readFlux.call(this, watched[0]);
		return ['refused' in read ? read.refused : { event: 'depositProcessed', ...read.report }];
	}

	// At activation, deposits already processed are history, not events.
	const activation = state.flux === undefined;
	const reported = state.badFlux ?? {};
	// Computed aside and stored at the end: a failure leaves the state as it was.
	const finals: Record<string, string> = { ...(state.flux ?? {}) };
	const badFlux: Record<string, string> = {};
	const events: IDataObject[] = [];
	for (const fluxNumber of watched) {
		if (finals[fluxNumber]) continue;
		const read = await readFlux.call(this, fluxNumber);
		if ('refused' in read) {
			// Reported once while it stays in the list, and still asked for: it may appear later.
			if (!(fluxNumber in reported)) events.push(read.refused);
			badFlux[fluxNumber] = String(read.refused.libelle ?? '');
			continue;
		}
		if (!read.report.isFinal) continue;
		finals[fluxNumber] = read.report.state;
		if (!activation) events.push({ event: 'depositProcessed', ...read.report });
	}

	const inList = new Set(watched);
	const removed = Object.keys(finals).filter((fluxNumber) => !inList.has(fluxNumber));
	for (const fluxNumber of removed.slice(0, Math.max(0, removed.length - REMOVED_FLUX_MEMORY)))
		delete finals[fluxNumber];
	state.flux = finals;
	state.badFlux = badFlux;
	return events;
}
