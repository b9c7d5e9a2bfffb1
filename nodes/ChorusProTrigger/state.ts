/**
 * What the trigger remembers between polls, in the workflow's static data: n8n saves it after each
 * successful poll and shares it between the main process and the workers (nothing lives in module
 * variables). Each poll computes the new state aside and writes it at the very end, so a poll that
 * fails leaves the state as it was and the next poll simply does the work again.
 */
export interface TriggerState {
	/**
	 * Invoice events: the instant up to which every change has been read, on Chorus Pro's clock
	 * (see `nextCursor` in invoices.ts). Earlier versions stored the start of the last poll on the
	 * n8n host's clock; it is read the same way.
	 */
	cursor?: string;
	/** Invoice events: changes already emitted that a later search may return again (`id|status|date` → date). */
	recent?: Record<string, string>;
	/**
	 * Invoice Status Changed: the latest status seen per open invoice, with the date of that change,
	 * to fill `previousStatus`; at most `KNOWN_LIMIT` entries (invoices.ts). Earlier versions stored
	 * the status alone.
	 */
	known?: Record<string, KnownInvoice | string>;
	/** Deposit Processed: the final state already emitted (or found at activation) per flux number. */
	flux?: Record<string, string>;
	/** Deposit Processed: watched flux numbers that Chorus Pro refused, already reported (number → libelle). */
	badFlux?: Record<string, string>;
}

/** `[status, changedAt]`: the latest status seen for an open invoice and when it was set (ISO). */
export type KnownInvoice = [string, string];
