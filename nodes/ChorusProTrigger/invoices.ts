import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import {
	chorusDateToIso,
	parseUserDate,
	toChorusDate,
	toChorusDateTime,
} from '../ChorusPro/shared/dates';
import { checkNumber } from '../ChorusPro/shared/parameters';
import { invoiceStatusSummary } from '../ChorusPro/shared/statuses';
import { chorusRequestAll } from '../ChorusPro/transport/paginate';
import type { ChorusService } from '../ChorusPro/transport/services';
import { SERVICES } from '../ChorusPro/transport/services';
import type { KnownInvoice, TriggerState } from './state';

export const DEFAULT_OVERLAP_MINUTES = 10;

const HOUR = 3600_000;

/**
 * How far the n8n host's clock may be ahead of Chorus Pro's without a change being lost (behind
 * costs nothing: more is read again, and repeats are skipped). The host's clock only places the
 * activation, which reads this far back, and lets the cursor move on when Chorus Pro is quiet.
 */
const CLOCK_MARGIN_MS = HOUR;

/**
 * At most this many open invoices are remembered for `previousStatus`; past it, those whose last
 * change is the oldest are forgotten first. No event depends on this map (what was emitted is in
 * `recent`): a forgotten invoice's next change is emitted all the same, with `previousStatus: null`.
 * 2,000 entries are about 120 KB of static data, which n8n saves after every poll, and cover for
 * example a supplier sending 1,000 invoices a month that are paid within two months.
 */
export const KNOWN_LIMIT = 2000;

const RECEIVED_STATUS = 'MISE_A_DISPOSITION';

/** Start of the Europe/Paris calendar day of an instant, with that day's real offset. */
function startOfParisDay(ms: number): number {
	return parseUserDate(toChorusDate(new Date(ms)))?.getTime() ?? ms;
}

/**
 * The "changed since" bound as Chorus Pro reads it: a Paris wall-clock time, without offset. When
 * Paris clocks go back (last Sunday of October, 03:00 → 02:00), the times from 02:00 to 03:00 name
 * two instants an hour apart; for an instant in the first of them, a server taking the second
 * reading would skip an hour of changes, so the bound is written one hour earlier (then neither
 * reading is after `ms`). What this reads again is skipped like any repeat.
 */
function changedSinceParam(ms: number): string {
	const text = toChorusDateTime(new Date(ms));
	return toChorusDateTime(new Date(ms + HOUR)) === text
		? toChorusDateTime(new Date(ms - HOUR))
		: text;
}

function readKnown(saved: TriggerState['known']): Record<string, KnownInvoice> {
	const known: Record<string, KnownInvoice> = {};
	for (const [id, value] of Object.entries(saved ?? {}))
		known[id] = typeof value === 'string' ? [value, ''] : value;
	return known;
}

/** Keeps the `KNOWN_LIMIT` invoices changed last (unknown dates count as oldest, then lowest id). */
function boundKnown(known: Record<string, KnownInvoice>): Record<string, KnownInvoice> {
	const ids = Object.keys(known);
	if (ids.length <= KNOWN_LIMIT) return known;
	const changedAt = (id: string) => known[id][1];
	ids.sort((a, b) =>
		changedAt(a) === changedAt(b) ? Number(a) - Number(b) : changedAt(a) < changedAt(b) ? -1 : 1,
	);
	for (const id of ids.slice(0, ids.length - KNOWN_LIMIT)) delete known[id];
	return known;
}

export function invoiceEvent(
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

/** Invoice Status Changed and New Received Invoice: one search (all pages) per poll. */
export async function pollInvoices(
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
		? [RECEIVED_STATUS]
		: ((this.getNodeParameter('statuses', []) as string[]) ?? []);
	const block = service.page?.block as string;

	if (manual) {
		// "Fetch Test Event": the latest matching change, state untouched.
		const [latest] = await chorusRequestAll.call(
			this,
			service,
			{
				...(received ? { typeDemandePaiement: 'FACTURE' } : {}),
				...(statuses.length ? { statutCourant: received ? RECEIVED_STATUS : statuses } : {}),
				[block]: { triColonne: 'DateHeureEtatCourant', triSens: 'Descendant' },
			},
			{ limit: 1 },
		);
		return latest ? [invoiceEvent(event, latest, undefined)] : [];
	}

	const pollStart = Date.now();
	const overlapMs =
		checkNumber.call(this, options.overlapMinutes ?? DEFAULT_OVERLAP_MINUTES, {
			label: 'Overlap (Minutes)',
			min: 1,
			max: 24 * 60,
		}) * 60_000;
	const saved = state.cursor ? Date.parse(state.cursor) : NaN;
	const activation = Number.isNaN(saved);
	const backfillHours = checkNumber.call(this, options.backfillHours ?? 0, {
		label: 'Backfill (Hours)',
		min: 0,
		max: 31 * 24,
	});
	// At activation nothing is emitted (unless Backfill): what the search returns is recorded, so
	// that the next polls, which look back before the activation, know it is not new.
	const silent = activation && !(backfillHours > 0);
	let cursor = saved;
	if (activation) cursor = pollStart - (silent ? CLOCK_MARGIN_MS : backfillHours * HOUR);
	const from = cursor - overlapMs;

	// Every status, filtered below: with a status filter, an invoice leaving it while the pages are
	// read would move the following ones back and one could be skipped unseen.
	// Repeats kept: an invoice read twice shows the list moved while it was read (see below).
	const invoices = await chorusRequestAll.call(
		this,
		service,
		{
			...(received ? { typeDemandePaiement: 'FACTURE' } : {}),
			periodeDateHeureEtatCourantDu: changedSinceParam(from),
			[block]: { triColonne: 'DateHeureEtatCourant', triSens: 'Ascendant' },
		},
		{ asRead: true },
	);

	// Computed aside and stored at the end: a failure above leaves the state as it was.
	const recent = { ...(state.recent ?? {}) };
	const known = readKnown(received ? {} : state.known);
	const events: IDataObject[] = [];
	const firstDates = new Map<string, number>();
	let newest = -Infinity;
	let moved = Infinity;
	for (const invoice of invoices) {
		const id = String(invoice.identifiantFactureCPP ?? invoice.idFacture);
		const status = String(invoice.statut ?? '');
		const changedAt = chorusDateToIso(invoice.dateHeureEtatCourant) ?? '';
		const date = changedAt ? Date.parse(changedAt) : NaN;
		const firstDate = firstDates.get(id);
		if (firstDate === undefined) firstDates.set(id, date);
		else moved = Math.min(moved, Number.isNaN(firstDate) ? cursor : firstDate);
		if (!Number.isNaN(date)) newest = Math.max(newest, date);

		const key = `${id}|${status}|${changedAt}`;
		if ((!statuses.length || statuses.includes(status)) && !recent[key]) {
			recent[key] = changedAt || new Date(pollStart).toISOString();
			if (!silent) events.push(invoiceEvent(event, invoice, known[id]?.[0]));
		}
		if (received) continue;
		if (invoiceStatusSummary(status).isFinal) delete known[id];
		else known[id] = [status, changedAt];
	}

	// The next poll reads from the latest change read, on Chorus Pro's own clock, so the n8n host's
	// clock does not matter; when nothing changes the cursor still moves on with the host's clock
	// (minus the margin), so that a burst of changes is not read again poll after poll. It never goes
	// back, and not past an invoice seen twice: one read earlier in this poll changed again and went
	// to the end of the list (or the server ordered equal dates differently from one page to the
	// next), the following ones moved back one place and one may have been skipped between two
	// pages; it sits after that invoice's first date, so the next poll reads it.
	const nextCursor = Math.max(
		cursor,
		Math.min(Math.max(newest, pollStart - CLOCK_MARGIN_MS), moved),
	);

	// A server that reads only the day of the bound returns that whole Paris day: keep its changes.
	const keepFrom = startOfParisDay(nextCursor - overlapMs);
	for (const [key, changedAt] of Object.entries(recent)) {
		if (Date.parse(changedAt) < keepFrom) delete recent[key];
	}
	state.cursor = new Date(nextCursor).toISOString();
	state.recent = recent;
	state.known = boundKnown(known);
	return events;
}
