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
	CREDENTIAL_NAME,
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
import { asJsonObject, isAccountRefusal, lowerCaseHeaders, readHttpFailure } from './failure';
import type { RunState } from './retry';
import { MAX_ATTEMPTS, retryDelay, runCredentials, runOf, waitBeforeRetry } from './retry';
import type { ChorusService } from './services';
import { NO_RESULT_CODE } from './services';

export type ChorusContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export interface RequestOptions {
	itemIndex?: number;
	/** Milliseconds before giving up on one attempt (large deposits need more). */
	timeout?: number;
}

interface FullResponse {
	statusCode: number;
	headers?: Record<string, unknown>;
	body: unknown;
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
	let credentials = await runCredentials(this, itemIndex);
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
