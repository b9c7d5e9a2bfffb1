/**
 * When a call is tried again, and what the concurrent requests of one run share while they are
 * (the credential, one token renewal, the gateway's 429 pause).
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { CREDENTIAL_NAME } from '../../../credentials/ChorusProApi.credentials';
import type { HttpFailure } from './failure';
import { NEVER_SENT_CODES, retryAfterMs } from './failure';
import type { ChorusContext } from './request';

/** Tries of one call, the first included (a new token after a gateway 401 is not counted). */
export const MAX_ATTEMPTS = 4;
const BASE_DELAY_MS = 1000;
/** Longest wait between two tries; a longer Retry-After ends the call with what it asks. */
const MAX_DELAY_MS = 30_000;
/** Statuses after which a read is asked again: rate limit, platform and gateway failures. */
const READ_RETRY_STATUSES = [429, 500, 502, 503, 504];

/**
 * Whether the same request may be sent again. Reads: always. Writes (deposits, submissions,
 * status changes) only when the request provably did not reach Chorus Pro: a 429 (the gateway
 * refuses before forwarding) or a connection that was never made. Never after a 5xx, a reset, a
 * timeout or a malformed answer: the write may have been taken.
 */
function canRetry(failure: HttpFailure, readOnly: boolean): boolean {
	if (failure.status !== undefined) {
		return failure.status === 429 || (readOnly && READ_RETRY_STATUSES.includes(failure.status));
	}
	if (!failure.code) return false;
	return readOnly || NEVER_SENT_CODES.includes(failure.code);
}

/**
 * Milliseconds to wait before try `attempt + 1`: what Retry-After asks (uncapped here: the caller
 * gives up when it is above MAX_DELAY_MS), else an exponential backoff with jitter (between half
 * and all of 1 s, 2 s, 4 s… capped), so that many executions failing together do not come back
 * together.
 */
export function retryDelay(
	failure: Pick<HttpFailure, 'headers'>,
	attempt: number,
	random: () => number = Math.random,
): number {
	const asked = retryAfterMs(failure.headers);
	if (asked !== undefined) return asked;
	const ceiling = Math.min(BASE_DELAY_MS * 2 ** (attempt - 1), MAX_DELAY_MS);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * What the concurrent requests of one run share: the credential as last read (read and decrypted
 * once per run, not once per call), the token renewal under way (one for all), and the time until
 * which the gateway asked every request to wait (a 429 slows all of them down). Keyed by the run's
 * context object, it lives and dies with the run: nothing is shared between executions or
 * processes (queue mode).
 */
export interface RunState {
	credentials?: Promise<ICredentialDataDecryptedObject>;
	renewal?: Promise<ICredentialDataDecryptedObject | undefined>;
	pauseUntil: number;
	/** The credential as last found with usable URLs: checked when it changes, not per call. */
	urlsChecked?: ICredentialDataDecryptedObject;
	/** The node's credential reference, read once: getNode() copies the whole node each time. */
	credentialRef?: { id: string; name: string };
}

const runs = new WeakMap<ChorusContext, RunState>();

/**
 * Ends the run of a context that outlives it: n8n builds one poll context per activation and
 * hands it to every poll, so each poll of the trigger is a run of its own (a token saved by a
 * worker since the last poll is read again).
 */
export function endRun(context: ChorusContext): void {
	runs.delete(context);
}

export function runOf(context: ChorusContext): RunState {
	let run = runs.get(context);
	if (!run) runs.set(context, (run = { pauseUntil: 0 }));
	return run;
}

/**
 * The credential as this run read it: read and decrypted on the first call of the run, shared by
 * the others. A failed read is not kept: the next call reads the credential again.
 */
export async function runCredentials(
	context: ChorusContext,
	itemIndex?: number,
): Promise<ICredentialDataDecryptedObject> {
	const run = runOf(context);
	run.credentials ??= context.getCredentials(CREDENTIAL_NAME, itemIndex).catch((error: unknown) => {
		run.credentials = undefined;
		return Promise.reject(error);
	});
	return await run.credentials;
}

/** Waits before the next try and says so, or says the call must end here. */
export async function waitBeforeRetry(
	run: RunState,
	failure: HttpFailure,
	readOnly: boolean,
	attempt: number,
): Promise<boolean> {
	if (attempt >= MAX_ATTEMPTS || !canRetry(failure, readOnly)) return false;
	const delay = retryDelay(failure, attempt);
	if (delay > MAX_DELAY_MS) {
		failure.retryAfterSeconds = Math.ceil(delay / 1000);
		return false;
	}
	// The gateway's rate limit counts every request of the run: all of them wait, not only this one.
	if (failure.status === 429) run.pauseUntil = Math.max(run.pauseUntil, Date.now() + delay);
	else await sleep(delay);
	return true;
}
