import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { apiGroupOf } from './services';

/** What went wrong with one HTTP exchange, read from whatever the HTTP helper threw. */
export interface HttpFailure {
	status?: number;
	/** Network error code (ECONNREFUSED, ECONNRESET, ETIMEDOUT...). */
	code?: string;
	headers: Record<string, string>;
	data?: unknown;
	/** Message of an error raised before any HTTP exchange (e.g. while getting the token). */
	message?: string;
	/** Set when Chorus Pro asked to wait longer (Retry-After) than the node waits between tries. */
	retryAfterSeconds?: number;
}

/**
 * Network errors raised before the request left this machine (no connection was made): sending
 * again cannot duplicate anything, even a deposit.
 */
export const NEVER_SENT_CODES = [
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENETDOWN',
];
const TIMEOUT_CODES = ['ECONNABORTED', 'ETIMEDOUT'];

const NETWORK_CODE =
	/^(ECONN|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|ENETDOWN|EAI_AGAIN|ENOTFOUND|UND_ERR)/;

function findCode(error: unknown, depth = 0): string | undefined {
	if (!error || typeof error !== 'object' || depth > 4) return undefined;
	const { code, cause } = error as { code?: unknown; cause?: unknown };
	if (typeof code === 'string' && NETWORK_CODE.test(code)) return code;
	if ((error as Error).message === 'socket hang up') return 'ECONNRESET';
	return findCode(cause, depth + 1);
}

export function lowerCaseHeaders(headers: unknown): Record<string, string> {
	const result: Record<string, string> = {};
	if (!headers || typeof headers !== 'object') return result;
	for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
		if (value !== undefined && value !== null) result[name.toLowerCase()] = String(value);
	}
	return result;
}

/** What n8n's NodeApiError keeps of the HTTP client's error without it (n8n 1.x). */
interface LegacyApiError {
	httpCode?: unknown;
	context?: { data?: unknown };
	messages?: unknown;
}

/**
 * n8n 1.x: NodeApiError keeps no `cause` (its error class resets it), so the client's error is
 * gone; what is left is `httpCode` (the HTTP status, or the network code such as ECONNREFUSED),
 * `context.data` (a JSON object body) and `messages` (the client's own message first). Response
 * headers are lost on that line.
 */
function readLegacyApiError(error: unknown): HttpFailure | undefined {
	const { httpCode, context, messages } = (error ?? {}) as LegacyApiError;
	if (typeof httpCode !== 'string' && typeof httpCode !== 'number') return undefined;
	const value = String(httpCode);
	if (/^\d{3}$/.test(value)) return { status: Number(value), headers: {}, data: context?.data };
	if (NETWORK_CODE.test(value)) return { code: value, headers: {} };
	if (Array.isArray(messages) && messages.includes('socket hang up'))
		return { code: 'ECONNRESET', headers: {} };
	return undefined;
}

/**
 * Reads the status, headers and body of a failed call, or its network code, from what n8n's
 * request helper threw: a NodeApiError whose `cause` is the HTTP client's error (n8n 2.x), or one
 * that kept only `httpCode`, `context.data` and `messages` (n8n 1.x, see readLegacyApiError).
 * Errors raised before any exchange (the token endpoint failing in the credential) keep their
 * message on both lines.
 */
export function readHttpFailure(error: unknown): HttpFailure {
	const candidates = [error, (error as { cause?: unknown })?.cause];
	for (const candidate of candidates) {
		const response = (
			candidate as { response?: { status?: unknown; headers?: unknown; data?: unknown } }
		)?.response;
		if (response && typeof response.status === 'number') {
			return {
				status: response.status,
				headers: lowerCaseHeaders(response.headers),
				data: response.data,
			};
		}
	}
	const code = findCode(error);
	if (code) return { code, headers: {} };
	const legacy = readLegacyApiError(error);
	if (legacy) return legacy;
	const cause = (error as { cause?: { message?: unknown } })?.cause;
	const message =
		typeof cause?.message === 'string'
			? cause.message
			: ((error as Error)?.message ?? String(error));
	return { headers: {}, message };
}

/**
 * Milliseconds a `Retry-After` header asks to wait, in either of its forms (RFC 9110 §10.2.3):
 * delta-seconds, or an HTTP date, read against the answer's own `Date` so that a clock apart from
 * the server's does not matter. Undefined when absent or unreadable.
 */
export function retryAfterMs(
	headers: Record<string, unknown>,
	now = Date.now(),
): number | undefined {
	const lower = lowerCaseHeaders(headers);
	const value = (lower['retry-after'] ?? '').trim();
	if (!value) return undefined;
	if (/^\d+$/.test(value)) return Number(value) * 1000;
	const until = Date.parse(value);
	if (Number.isNaN(until)) return undefined;
	const serverNow = Date.parse(lower.date ?? '');
	return Math.max(0, until - (Number.isNaN(serverNow) ? now : serverNow));
}

/** WWW-Authenticate: Bearer realm="PISTE",error="...",error_description="..." */
function authenticateParam(header: string | undefined, name: string): string | undefined {
	if (!header) return undefined;
	return new RegExp(`${name}="([^"]*)"`).exec(header)?.[1];
}

/**
 * A 401 where Chorus Pro refused the technical account (the cpro-account header):
 * `error="Unauthorized"` with "login or password incorrects" (docs/chorus-pro-api.md §5.1).
 * Any other 401 is the gateway refusing the access token (`error="invalid_token"`).
 */
export function isAccountRefusal(failure: HttpFailure): boolean {
	if (failure.status !== 401) return false;
	const header = failure.headers['www-authenticate'];
	return (
		authenticateParam(header, 'error') === 'Unauthorized' ||
		/login|password/i.test(authenticateParam(header, 'error_description') ?? '')
	);
}

/** Parses a JSON body that may have arrived as text; undefined when it is not JSON. */
export function asJsonObject(data: unknown): IDataObject | undefined {
	if (data && typeof data === 'object' && !Array.isArray(data) && !Buffer.isBuffer(data)) {
		return data as IDataObject;
	}
	const textBody = Buffer.isBuffer(data) ? data.toString('utf8') : data;
	if (typeof textBody === 'string' && textBody.trim().startsWith('{')) {
		try {
			const parsed = JSON.parse(textBody) as unknown;
			if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
				return parsed as IDataObject;
		} catch {
			return undefined;
		}
	}
	return undefined;
}

const NETWORK_WORDS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset',
	ECONNABORTED: 'no answer in time',
	ETIMEDOUT: 'no answer in time',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'host name lookup failed',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	ENETDOWN: 'network down',
	EPIPE: 'connection cut',
};

const GROUP_NAMES: Record<string, string> = {
	factures: 'Factures',
	structures: 'Structures',
	transverses: 'Transverses',
	utilisateurs: 'Utilisateurs',
	engagementsJuridiques: 'Engagements Juridiques',
};

/** Hints for the Chorus message codes users meet most; the code is the start of `libelle`. */
const MESSAGE_HINTS: Array<[RegExp, string]> = [
	[/^TRA_MSG_00\.015/, 'The search matched nothing.'],
	[
		/^POQ_MSG_01\.003/,
		'Chorus Pro does not know this flux number: check it, and that it was deposited with the same technical account and environment.',
	],
	[
		/^GDP_MSG_11\.008/,
		'Chorus Pro does not know this invoice id: use the Chorus Pro invoice id (identifiantFactureCPP / idFacture), not the invoice number.',
	],
	[
		/^GDP_MSG_11\.005/,
		'The technical account has no right on this invoice: attach it to the supplier structure in Chorus Pro.',
	],
	[/^GDP_MSG_11\.033/, 'Only a suspended invoice (SUSPENDUE) can be completed.'],
	[
		/^GDP_MSG_11\.001/,
		'The invoice is not in a status that allows this action: check its status history.',
	],
];

function hintFor(libelle: string): string | undefined {
	return MESSAGE_HINTS.find(([pattern]) => pattern.test(libelle))?.[1];
}

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

/** A Chorus Pro answer with a non-zero codeRetour. */
export function businessError(status: number | undefined, envelope: IDataObject): ErrorDetails {
	const codeRetour = Number(envelope.codeRetour);
	const libelle = typeof envelope.libelle === 'string' ? envelope.libelle : '';
	return {
		message: `Chorus Pro refused the request: ${libelle || `code ${codeRetour}`}`,
		description:
			hintFor(libelle) ??
			`Chorus Pro answered codeRetour ${codeRetour}. Check the values sent against the message above; the same request will fail again until they change.`,
		httpCode: status,
		codeRetour,
		libelle,
	};
}

function describeFailure(failure: HttpFailure, path: string, readOnly: boolean): ErrorDetails {
	const group = GROUP_NAMES[apiGroupOf(path)] ?? apiGroupOf(path);
	const maybeSent = readOnly
		? ''
		: ' The request may have reached Chorus Pro: search for the invoice or flux before sending it again.';

	if (failure.status === undefined) {
		if (failure.code) {
			const neverSent = NEVER_SENT_CODES.includes(failure.code);
			const words = NETWORK_WORDS[failure.code] ?? 'network error';
			// In words: n8n replaces any message that contains a raw network code with its own.
			const message = neverSent
				? `Chorus Pro could not be reached: ${words}`
				: TIMEOUT_CODES.includes(failure.code)
					? 'Chorus Pro did not answer in time'
					: `The connection to Chorus Pro was cut before its answer (${words})`;
			return {
				message,
				description: `Network error ${failure.code}. Check the environment or the API base URL of the credential, and the network; the platform may also be down for maintenance. Try again later.${neverSent ? '' : maybeSent}`,
				mayHaveReachedChorus: !readOnly && !neverSent,
			};
		}
		return {
			message: failure.message || 'The request to Chorus Pro failed',
			description: 'Check the Chorus Pro credential (environment, PISTE client ID and secret).',
			mayHaveReachedChorus: false,
		};
	}

	const status = failure.status;
	const envelope = asJsonObject(failure.data);
	if (envelope && envelope.codeRetour !== undefined && Number(envelope.codeRetour) !== 0) {
		return businessError(status, envelope);
	}

	const wait =
		failure.retryAfterSeconds !== undefined
			? ` Chorus Pro asks to wait ${failure.retryAfterSeconds} s before the next call.`
			: '';
	switch (status) {
		case 401: {
			const reason = authenticateParam(failure.headers['www-authenticate'], 'error_description');
			if (isAccountRefusal(failure)) {
				return {
					message: `Chorus Pro refused the technical account${reason ? `: ${reason}` : ''}`,
					description:
						'Check the technical account login and password in the credential (the cpro-account header). The password must be renewed every 424 days on Chorus Pro; a qualification account does not work in production and vice versa.',
					httpCode: status,
					credentialRefused: true,
				};
			}
			return {
				message: `PISTE refused the access token${reason ? `: ${reason}` : ''}`,
				description:
					'A new token was requested and refused as well: check that the PISTE application of the credential is the one attached to Chorus Pro, in the same environment.',
				httpCode: status,
				credentialRefused: true,
			};
		}
		case 403:
			return {
				message: `The PISTE application is not allowed to call the Chorus Pro "${group}" API`,
				description: `In PISTE, accept the terms of use of the Chorus Pro APIs and attach the "${group}" API to the application of this credential (sandbox and production are attached separately). An empty 403 also answers paths that do not exist.`,
				httpCode: status,
			};
		case 404:
			return {
				message: 'Chorus Pro answered 404 Not Found',
				description: 'Check the API base URL of the credential: it must not contain /cpro.',
				httpCode: status,
			};
		case 413:
			return {
				message: 'The file is too large for Chorus Pro (HTTP 413)',
				description:
					'Chorus Pro accepts at most 10 MB for a PDF or an attachment and 120 MB for a download. Split the batch or compress the file.',
				httpCode: status,
			};
		case 415:
			return {
				message: 'Chorus Pro refused the request format (HTTP 415)',
				description: 'The API expects JSON (Content-Type: application/json;charset=utf-8).',
				httpCode: status,
			};
		case 429:
			return {
				message: 'Chorus Pro asks to slow down (HTTP 429)',
				description: `Too many calls in a short time: space out the executions or lower the batch size.${wait}`,
				httpCode: status,
			};
		default:
			if (status >= 500) {
				return {
					message: `Chorus Pro is unavailable (HTTP ${status})`,
					description: `The platform or the PISTE gateway failed; try again later.${wait}${maybeSent}`,
					httpCode: status,
					mayHaveReachedChorus: !readOnly,
				};
			}
			return {
				message: `Chorus Pro answered HTTP ${status}`,
				description: 'The request was refused; check the values sent.',
				httpCode: status,
			};
	}
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
	return apiError(
		node,
		{
			message: 'Chorus Pro sent an answer that is not the expected JSON',
			description: readOnly
				? 'The gateway may be failing; try again later.'
				: 'The gateway may be failing. The request may have reached Chorus Pro: search for the invoice or flux before sending it again.',
			mayHaveReachedChorus: readOnly ? undefined : true,
		},
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
	return apiError(
		node,
		{
			message: `Chorus Pro answered success without ${proof.field}`,
			description: `The answer of ${path} should carry ${proof.field}; without it nothing proves the request was taken. ${proof.check}`,
			mayHaveReachedChorus: true,
		},
		path,
		itemIndex,
	);
}
