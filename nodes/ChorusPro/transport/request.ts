import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { serializeBody } from './body';
import type { HttpFailure } from './errors';
import {
	asJsonObject,
	envelopeError,
	httpFailureError,
	malformedAnswerError,
	readHttpFailure,
	unprovenWriteError,
} from './errors';
import type { ChorusService } from './services';
import { NO_RESULT_CODE } from './services';

export type ChorusContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export const CREDENTIAL_NAME = 'chorusProApi';

export interface RequestOptions {
	itemIndex?: number;
	/** Milliseconds before giving up on one attempt (large deposits need more). */
	timeout?: number;
}

const MAX_ATTEMPTS = 4;
const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;
const RETRYABLE_STATUSES = [429, 502, 503, 504];
// Errors raised before the request left this machine: re-sending cannot duplicate anything.
const NEVER_SENT_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'];

function canRetry(failure: HttpFailure, readOnly: boolean): boolean {
	if (failure.status !== undefined) {
		// 429 is the gateway refusing before forwarding, so even a deposit may be re-sent.
		return failure.status === 429 || (readOnly && RETRYABLE_STATUSES.includes(failure.status));
	}
	if (!failure.code) return false;
	return readOnly || NEVER_SENT_CODES.includes(failure.code);
}

function retryDelay(failure: HttpFailure, attempt: number): number {
	const retryAfter = Number(failure.headers['retry-after']);
	if (Number.isFinite(retryAfter) && retryAfter >= 0)
		return Math.min(retryAfter * 1000, MAX_DELAY_MS);
	return Math.min(BASE_DELAY_MS * 2 ** (attempt - 1), MAX_DELAY_MS);
}

/**
 * Calls one Chorus Pro service and returns its answer once the envelope says success.
 * Authentication (PISTE token, cpro-account) and the base URL come from the credential.
 * A search that found nothing (codeRetour 20000) returns its envelope without list: callers
 * read a missing list as empty.
 */
export async function chorusRequest(
	this: ChorusContext,
	service: ChorusService,
	body: IDataObject = {},
	options: RequestOptions = {},
): Promise<IDataObject> {
	const { itemIndex } = options;
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
		timeout: options.timeout ?? 60_000,
	};

	for (let attempt = 1; ; attempt++) {
		let response: { statusCode: number; body: unknown };
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				CREDENTIAL_NAME,
				request,
			)) as { statusCode: number; body: unknown };
		} catch (error) {
			const failure = readHttpFailure(error);
			if (attempt < MAX_ATTEMPTS && canRetry(failure, service.readOnly)) {
				await sleep(retryDelay(failure, attempt));
				continue;
			}
			throw httpFailureError(this.getNode(), failure, service.path, service.readOnly, itemIndex);
		}

		const envelope = asJsonObject(response.body);
		if (!envelope) {
			if (attempt < MAX_ATTEMPTS && service.readOnly) {
				await sleep(retryDelay({ headers: {} }, attempt));
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

/** The answer without its envelope (codeRetour, libelle), for outputs. */
export function withoutEnvelope(answer: IDataObject): IDataObject {
	const data = { ...answer };
	delete data.codeRetour;
	delete data.libelle;
	return data;
}
