import type { IDataObject } from 'n8n-workflow';

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

export const TIMEOUT_CODES = ['ECONNABORTED', 'ETIMEDOUT'];

const NETWORK_CODE =
	/^(ECONN|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|ENETDOWN|EAI_AGAIN|ENOTFOUND|UND_ERR)/;

/** The network code of an error or of one of its causes ("socket hang up" is a reset). */
export function networkCodeOf(error: unknown, depth = 0): string | undefined {
	if (!error || typeof error !== 'object' || depth > 4) return undefined;
	const { code, cause } = error as { code?: unknown; cause?: unknown };
	if (typeof code === 'string' && NETWORK_CODE.test(code)) return code;
	if ((error as Error).message === 'socket hang up') return 'ECONNRESET';
	return networkCodeOf(cause, depth + 1);
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
	const code = networkCodeOf(error);
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

/** A parameter of `WWW-Authenticate: Bearer realm="PISTE",error="...",error_description="..."`. */
export function authenticateParam(failure: HttpFailure, name: string): string | undefined {
	const header = failure.headers['www-authenticate'];
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
	return (
		authenticateParam(failure, 'error') === 'Unauthorized' ||
		/login|password/i.test(authenticateParam(failure, 'error_description') ?? '')
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
