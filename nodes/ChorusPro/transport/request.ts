import type {
	IAdditionalCredentialOptions,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import {
	chorusProUrlProblem,
	tokenNeedsRenewal,
} from '../../../credentials/ChorusProApi.credentials';
import { serializeBody } from './body';
import {
	envelopeError,
	httpFailureError,
	malformedAnswerError,
	unprovenWriteError,
} from './errors';
import type { HttpFailure } from './failure';
import {
	asJsonObject,
	isAccountRefusal,
	lowerCaseHeaders,
	NEVER_SENT_CODES,
	readHttpFailure,
	retryAfterMs,
} from './failure';
import type { ChorusService } from './services';
import { NO_RESULT_CODE } from './services';

export type ChorusContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export const CREDENTIAL_NAME = 'chorusProApi';

export interface RequestOptions {
	itemIndex?: number;
	/** Milliseconds before giving up on one attempt (large deposits need more). */
	timeout?: number;
}

/** Tries of one call, the first included (a new token after a gateway 401 is not counted). */
const MAX_ATTEMPTS = 4;
const BASE_DELAY_MS = 1000;
/** Longest wait between two tries; a longer Retry-After ends the call with what it asks. */
const MAX_DELAY_MS = 30_000;
/** Statuses after which a read is asked again: rate limit, platform and gateway failures. */
const READ_RETRY_STATUSES = [429, 500, 502, 503, 504];

interface FullResponse {
	statusCode: number;
	headers?: Record<string, unknown>;
	body: unknown;
}

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
interface RunState {
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

function runOf(context: ChorusContext): RunState {
	let run = runs.get(context);
	if (!run) runs.set(context, (run = { pauseUntil: 0 }));
	return run;
}

/** Waits before the next try and says so, or says the call must end here. */
async function waitBeforeRetry(
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

/**
 * One exchange through n8n's authenticated request helper, with the credential read by
 * chorusRequest (`credentialsDecrypted`: n8n uses it instead of reading it again). HTTP errors
 * come back as answers (ignoreHttpStatusErrors), so n8n's own "401: new token and send again"
 * never runs: chorusRequest tells the gateway's 401 (token) from Chorus Pro's (technical account).
 *
 * Given a credential whose accessToken is empty, n8n runs the credential's preAuthentication (its
 * rule for `expirable` fields), saves the new token and its expiry in the stored credential,
 * writes them into `credentials` and sends the request with them.
 */
async function send(
	this: ChorusContext,
	run: RunState,
	request: IHttpRequestOptions,
	credentials: ICredentialDataDecryptedObject,
): Promise<FullResponse> {
	if (!run.credentialRef) {
		const stored = this.getNode().credentials?.[CREDENTIAL_NAME];
		run.credentialRef = { id: stored?.id ?? '', name: stored?.name ?? '' };
	}
	const options: IAdditionalCredentialOptions = {
		credentialsDecrypted: { ...run.credentialRef, type: CREDENTIAL_NAME, data: credentials },
	};
	// A copy: n8n writes the authentication into the options it is given.
	return (await this.helpers.httpRequestWithAuthentication.call(
		this,
		CREDENTIAL_NAME,
		{ ...request, headers: { ...request.headers } },
		options,
	)) as FullResponse;
}

/**
 * Calls one Chorus Pro service and returns its answer once the envelope says success.
 * Authentication (PISTE token, cpro-account) and the base URL come from the credential.
 * A search that found nothing (codeRetour 20000) returns its envelope without list: callers
 * read a missing list as empty.
 *
 * Tries: a read is asked again after a network error, a 429, 500, 502, 503 or 504 or an answer
 * that is not JSON; a write only after a 429 or a connection never made (see canRetry), up to
 * MAX_ATTEMPTS, honouring Retry-After. A 401 of the gateway (token expired or unknown) gets one
 * new token and the request once more, even a write: the gateway refused it before forwarding.
 * A 401 of Chorus Pro (technical account refused) fails at once.
 */
export async function chorusRequest(
	this: ChorusContext,
	service: ChorusService,
	body: IDataObject = {},
	options: RequestOptions = {},
): Promise<IDataObject> {
	const { itemIndex } = options;
	const run = runOf(this);
	// A failed read is not kept: the next call reads the credential again.
	run.credentials ??= this.getCredentials(CREDENTIAL_NAME, itemIndex).catch((error: unknown) => {
		run.credentials = undefined;
		return Promise.reject(error);
	});
	let credentials = await run.credentials;
	if (run.urlsChecked !== credentials) {
		const urlProblem = chorusProUrlProblem(credentials);
		if (urlProblem) {
			throw new NodeOperationError(this.getNode(), urlProblem, {
				itemIndex,
				description:
					'Correct it in the Chorus Pro credential (environment Custom). Nothing was sent.',
			});
		}
		run.urlsChecked = credentials;
	}

	const request: IHttpRequestOptions = {
		method: service.method,
		url: service.path,
		headers: {
			Accept: 'application/json;charset=utf-8',
			...(service.method === 'POST' ? { 'Content-Type': 'application/json;charset=utf-8' } : {}),
		},
		// Serialised here: n8n drops an empty object body, and services without parameters still need `{}`.
		body: service.method === 'POST' ? serializeBody(body) : undefined,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: options.timeout ?? 60_000,
	};

	// A token with little time left is replaced before the call rather than after a 401.
	let newToken = tokenNeedsRenewal(credentials);
	let tokenRefused = false;
	for (let attempt = 1; ; ) {
		if (newToken && run.renewal) {
			// Another request of the run is getting a new token: wait for it and use it.
			credentials = (await run.renewal) ?? credentials;
			newToken = !credentials.accessToken;
		}
		const sent = newToken ? { ...credentials, accessToken: '' } : credentials;
		// This request gets the run's new token; the others wait for it (one token for all).
		const renewing = newToken;
		let renewed: (value: ICredentialDataDecryptedObject | undefined) => void = () => {};
		if (renewing) run.renewal = new Promise((resolve) => (renewed = resolve));
		const pause = run.pauseUntil - Date.now();
		if (pause > 0) await sleep(pause);
		let response: FullResponse;
		try {
			response = await send.call(this, run, request, sent);
		} catch (error) {
			// No answer (network, timeout), or no token (the token endpoint failed).
			const failure = readHttpFailure(error);
			if (sent.accessToken) [credentials, newToken] = [sent, false];
			if (renewing) settleRenewal(run, sent, renewed);
			if (await waitBeforeRetry(run, failure, service.readOnly, attempt++)) continue;
			throw httpFailureError(this.getNode(), failure, service.path, service.readOnly, itemIndex);
		}
		// With a new token, `sent` now holds it (n8n wrote it there): the next tries use it.
		[credentials, newToken] = [sent, false];
		if (renewing) settleRenewal(run, sent, renewed);

		if (response.statusCode < 200 || response.statusCode >= 300) {
			const failure: HttpFailure = {
				status: response.statusCode,
				headers: lowerCaseHeaders(response.headers),
				data: response.body,
			};
			if (failure.status === 401 && !isAccountRefusal(failure) && !tokenRefused) {
				tokenRefused = true;
				// Another request of the run may have replaced the token meanwhile: use that one.
				const current = await run.credentials;
				if (current?.accessToken && current.accessToken !== sent.accessToken) credentials = current;
				else newToken = true;
				continue;
			}
			if (await waitBeforeRetry(run, failure, service.readOnly, attempt++)) continue;
			throw httpFailureError(this.getNode(), failure, service.path, service.readOnly, itemIndex);
		}

		const envelope = asJsonObject(response.body);
		if (!envelope) {
			if (service.readOnly && attempt < MAX_ATTEMPTS) {
				await sleep(retryDelay({ headers: {} }, attempt++));
				continue;
			}
			throw malformedAnswerError(this.getNode(), service.path, service.readOnly, itemIndex);
		}
		const codeRetour = envelope.codeRetour === undefined ? 0 : Number(envelope.codeRetour);
		if (service.page && codeRetour === NO_RESULT_CODE) return envelope;
		if (codeRetour === 0) {
			if (service.proof && [undefined, null, ''].includes(envelope[service.proof.field] as null))
				throw unprovenWriteError(this.getNode(), service.path, service.proof, itemIndex);
			return envelope;
		}
		throw envelopeError(this.getNode(), response.statusCode, envelope, service.path, itemIndex);
	}
}

/**
 * Ends this request's part in a token renewal: the run now uses `credentials` (when they hold a
 * token) and the requests that waited for the renewal go on with them.
 */
function settleRenewal(
	run: RunState,
	credentials: ICredentialDataDecryptedObject | undefined,
	renewed: (value: ICredentialDataDecryptedObject | undefined) => void,
) {
	if (credentials?.accessToken) run.credentials = Promise.resolve(credentials);
	renewed(credentials?.accessToken ? credentials : undefined);
	run.renewal = undefined;
}

/** The answer without its envelope (codeRetour, libelle), for outputs. */
export function withoutEnvelope(answer: IDataObject): IDataObject {
	const data = { ...answer };
	delete data.codeRetour;
	delete data.libelle;
	return data;
}
