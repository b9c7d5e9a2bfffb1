import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { HttpFailure } from './failure';
import {
	asJsonObject,
	authenticateParam,
	isAccountRefusal,
	NEVER_SENT_CODES,
	TIMEOUT_CODES,
} from './failure';
import { apiGroupOf } from './services';
import type { Wording } from './wording';
import {
	BUSINESS_WORDING,
	GROUP_NAMES,
	MAYBE_SENT,
	MESSAGE_HINTS,
	NETWORK_WORDS,
	NO_STATUS_WORDING,
	STATUS_WORDING,
} from './wording';

/** What the error of a failed call says, and what the router and the sent-once record read. */
interface ErrorDetails {
	message: string;
	description: string;
	httpCode?: number;
	codeRetour?: number;
	libelle?: string;
	/** For a write: whether it may have been taken although no clear answer came back. */
	mayHaveReachedChorus?: boolean;
	/** The credential itself was refused: every other call of the run would be refused too. */
	credentialRefused?: boolean;
}

/** A wording with its `{name}` placeholders filled in. */
function fill(
	wording: Wording,
	values: Record<string, string | number | undefined>,
): Pick<ErrorDetails, 'message' | 'description'> {
	const text = (template: string) =>
		template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
	return { message: text(wording.message), description: text(wording.hint) };
}

/** A Chorus Pro answer with a non-zero codeRetour. */
function businessError(status: number | undefined, envelope: IDataObject): ErrorDetails {
	const codeRetour = Number(envelope.codeRetour);
	const libelle = typeof envelope.libelle === 'string' ? envelope.libelle : '';
	const words = fill(BUSINESS_WORDING, { libelle: libelle || `code ${codeRetour}`, codeRetour });
	const hint = MESSAGE_HINTS.find(([code]) => libelle.startsWith(code))?.[1];
	return {
		...words,
		description: hint ?? words.description,
		httpCode: status,
		codeRetour,
		libelle,
	};
}

/** A failure without an HTTP status: a network error, or an error before any exchange. */
function noStatusDetails(failure: HttpFailure, readOnly: boolean): ErrorDetails {
	if (!failure.code) {
		const words = fill(NO_STATUS_WORDING.beforeExchange, {});
		return { ...words, message: failure.message || words.message, mayHaveReachedChorus: false };
	}
	const neverSent = NEVER_SENT_CODES.includes(failure.code);
	const wording = neverSent
		? NO_STATUS_WORDING.neverSent
		: TIMEOUT_CODES.includes(failure.code)
			? NO_STATUS_WORDING.timeout
			: NO_STATUS_WORDING.cut;
	const words = fill(wording, {
		code: failure.code,
		words: NETWORK_WORDS[failure.code] ?? 'network error',
	});
	const maybeSent = !readOnly && !neverSent;
	return {
		...words,
		description: maybeSent ? `${words.description} ${MAYBE_SENT}` : words.description,
		mayHaveReachedChorus: maybeSent,
	};
}

function describeFailure(failure: HttpFailure, path: string, readOnly: boolean): ErrorDetails {
	const status = failure.status;
	if (status === undefined) return noStatusDetails(failure, readOnly);

	const envelope = asJsonObject(failure.data);
	if (envelope && envelope.codeRetour !== undefined && Number(envelope.codeRetour) !== 0) {
		return businessError(status, envelope);
	}

	const reason = authenticateParam(failure, 'error_description');
	const values = {
		status,
		group: GROUP_NAMES[apiGroupOf(path)] ?? apiGroupOf(path),
		reason: reason ? `: ${reason}` : '',
		wait:
			failure.retryAfterSeconds !== undefined
				? ` Chorus Pro asks to wait ${failure.retryAfterSeconds} s before the next call.`
				: '',
	};
	if (status === 401) {
		const wording = isAccountRefusal(failure)
			? STATUS_WORDING.accountRefused
			: STATUS_WORDING.tokenRefused;
		return { ...fill(wording, values), httpCode: status, credentialRefused: true };
	}
	if (status >= 500) {
		const words = fill(STATUS_WORDING.unavailable, values);
		return {
			...words,
			description: readOnly ? words.description : `${words.description} ${MAYBE_SENT}`,
			httpCode: status,
			mayHaveReachedChorus: !readOnly,
		};
	}
	const wording =
		status in STATUS_WORDING
			? STATUS_WORDING[status as keyof typeof STATUS_WORDING]
			: STATUS_WORDING.other;
	return { ...fill(wording, values), httpCode: status };
}

function apiError(
	node: INode,
	details: ErrorDetails,
	path: string,
	itemIndex?: number,
): NodeApiError {
	// A plain object, never the caught error: that one carries the request headers (token, account).
	const error = new NodeApiError(node, { message: details.message } as JsonObject, {
		message: details.message,
		description: details.description,
		httpCode: details.httpCode !== undefined ? String(details.httpCode) : undefined,
		itemIndex,
	});
	error.context.service = path;
	if (details.codeRetour !== undefined) error.context.codeRetour = details.codeRetour;
	if (details.libelle !== undefined) error.context.libelle = details.libelle;
	if (details.httpCode !== undefined) error.context.httpStatus = details.httpCode;
	if (details.mayHaveReachedChorus !== undefined)
		error.context.mayHaveReachedChorus = details.mayHaveReachedChorus;
	if (details.credentialRefused) error.context.credentialRefused = true;
	error.context.hint = details.description;
	return error;
}

export function httpFailureError(
	node: INode,
	failure: HttpFailure,
	path: string,
	readOnly: boolean,
	itemIndex?: number,
): NodeApiError {
	const details = describeFailure(failure, path, readOnly);
	// Said only of writes; an HTTP refusal (4xx) proves nothing was taken.
	details.mayHaveReachedChorus = readOnly ? undefined : (details.mayHaveReachedChorus ?? false);
	return apiError(node, details, path, itemIndex);
}

export function envelopeError(
	node: INode,
	status: number | undefined,
	envelope: IDataObject,
	path: string,
	itemIndex?: number,
): NodeApiError {
	return apiError(node, businessError(status, envelope), path, itemIndex);
}

export function malformedAnswerError(
	node: INode,
	path: string,
	readOnly: boolean,
	itemIndex?: number,
): NodeApiError {
	const words = fill(NO_STATUS_WORDING.malformed, {});
	return apiError(
		node,
		readOnly
			? words
			: { ...words, description: `${words.description} ${MAYBE_SENT}`, mayHaveReachedChorus: true },
		path,
		itemIndex,
	);
}

/** A write answered success without the field that proves it was taken (e.g. no flux number). */
export function unprovenWriteError(
	node: INode,
	path: string,
	proof: { field: string; check: string },
	itemIndex?: number,
): NodeApiError {
	const words = fill(NO_STATUS_WORDING.unproven, { ...proof, path });
	return apiError(node, { ...words, mayHaveReachedChorus: true }, path, itemIndex);
}
