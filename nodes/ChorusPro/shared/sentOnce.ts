/**
 * Writes are sent once: a deposit, a submission or a status change made by this node is recorded
 * in the workflow's static data, so that n8n's Retry On Fail (a re-run of the node within the
 * execution) or a retry of a failed execution returns the earlier answer instead of sending it
 * again. n8n saves static data at the end of every production execution, failed ones included,
 * and shares it between the main process and the workers; in manual runs it lives for the run.
 */
import { createHash } from 'crypto';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/** Entries kept: enough for a busy day of retries, small enough for the workflow's row. */
const MAX_ENTRIES = 1000;
const MAX_AGE_MS = 30 * 24 * 3600_000;

interface SentEntry {
	at: string;
	/** `sent`: Chorus Pro took it; `uncertain`: the answer was lost, it may have been taken. */
	state: 'sent' | 'uncertain';
	result?: IDataObject;
	error?: string;
}

export const sendAgainOption: INodeProperties = {
	displayName: 'Send Again If Already Sent',
	name: 'sendAgain',
	type: 'boolean',
	default: false,
	description:
		'Whether to send again what this node already sent in an earlier try or execution of this workflow. Off, the earlier answer is returned (marked alreadySent), so Retry On Fail or a retried execution never sends anything twice.',
};

/** A key for a file's content: the same bytes are the same invoice, whatever their name. */
export function contentKey(kind: string, data: Buffer): string {
	return `${kind}:${createHash('sha256').update(data).digest('base64url')}`;
}

/** Errors after which the request may have reached Chorus Pro (no definite refusal came back). */
function mayHaveBeenTaken(error: unknown): boolean {
	if (!(error instanceof NodeApiError)) return false;
	// The transport says it for writes; the rest is a fallback for errors raised elsewhere.
	const flag = error.context.mayHaveReachedChorus;
	if (typeof flag === 'boolean') return flag;
	const status = Number(error.httpCode);
	return !Number.isInteger(status) || status >= 500;
}

/**
 * Writes being sent, by key, for each ledger: items run in parallel, and two items of one run may
 * make the same write (the same file twice in the input).
 */
const underWay = new WeakMap<Record<string, SentEntry>, Map<string, Promise<void>>>();

function ledger(this: IExecuteFunctions): Record<string, SentEntry> {
	const data = this.getWorkflowStaticData('node');
	return (data.sent ??= {}) as Record<string, SentEntry>;
}

/** The entry of `key`, unless it is older than the ledger keeps entries. */
function entryOf(sent: Record<string, SentEntry>, key: string): SentEntry | undefined {
	const entry = sent[key];
	return entry && Date.now() - Date.parse(entry.at) <= MAX_AGE_MS ? entry : undefined;
}

/**
 * Writes an entry last, so that the ledger's keys stay in the order written, then drops the
 * oldest entries past their age or over the count. Done on writes only: reading the ledger for
 * every item of a run costs nothing.
 */
function record(sent: Record<string, SentEntry>, key: string, entry: SentEntry): void {
	delete sent[key];
	sent[key] = entry;
	const keys = Object.keys(sent);
	const now = Date.now();
	let drop = Math.max(0, keys.length - MAX_ENTRIES);
	while (drop < keys.length && now - Date.parse(sent[keys[drop]].at) > MAX_AGE_MS) drop++;
	for (const old of keys.slice(0, drop)) delete sent[old];
}

/** Whether an earlier try or execution recorded `key` as sent, or as maybe taken. */
export function wasSent(this: IExecuteFunctions, key: string): boolean {
	return entryOf(ledger.call(this), key) !== undefined;
}

/**
 * Runs `send` unless the write `key` was already made: then returns its earlier answer with
 * `alreadySent` set to when. After an uncertain failure (the answer was lost), a new try is
 * refused with what to check, unless the user allows sending again.
 */
export async function sendOnce(
	this: IExecuteFunctions,
	key: string,
	sendAgain: boolean,
	itemIndex: number,
	send: () => Promise<IDataObject>,
): Promise<{ result: IDataObject; alreadySent?: string }> {
	const sent = ledger.call(this);
	let writes = underWay.get(sent);
	if (!writes) underWay.set(sent, (writes = new Map()));
	// Another item of the run is making the same write: its outcome decides, as if it came first.
	for (let other = writes.get(key); other; other = writes.get(key)) await other;
	const earlier = entryOf(sent, key);
	if (earlier && !sendAgain) {
		if (earlier.state === 'sent' && earlier.result)
			return { result: earlier.result, alreadySent: earlier.at };
		throw new NodeOperationError(
			this.getNode(),
			'An earlier try of this item may have reached Chorus Pro, so it is not sent again',
			{
				itemIndex,
				description: `The try of ${earlier.at} failed without a clear answer (${earlier.error ?? 'no answer'}). Check in Chorus Pro whether it was taken (Invoice > Search, Deposit > Get Report); if it was not, turn on "Send Again If Already Sent" for one run.`,
			},
		);
	}
	let failure: unknown;
	let done = () => {};
	writes.set(key, new Promise<void>((resolve) => (done = resolve)));
	try {
		const result = await send();
		record(sent, key, { at: new Date().toISOString(), state: 'sent', result });
		return { result };
	} catch (error) {
		failure = error;
		if (mayHaveBeenTaken(error))
			record(sent, key, {
				at: new Date().toISOString(),
				state: 'uncertain',
				error: (error as Error).message,
			});
	} finally {
		// Recorded first: an item waiting for this write reads its outcome in the ledger.
		writes.delete(key);
		done();
	}
	throw failure;
}
