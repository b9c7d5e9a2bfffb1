/** The PISTE access token: asked for with the client credentials, renewed before it expires. */
import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper } from 'n8n-workflow';
import { OperationalError, sleep } from 'n8n-workflow';

import { networkCodeOf, retryAfterMs } from '../nodes/ChorusPro/transport/failure';
import { chorusProUrlProblem, chorusProUrls, text } from './urls';

// The qualification token endpoint is known to refuse valid client credentials now and then
// (400 invalid_client): a few spaced attempts tell a flake from a real mistake.
const TOKEN_ATTEMPTS_ON_INVALID_CLIENT = 3;
// Network errors, 429 and 5xx of the token endpoint: asking for a token again is always safe.
const TOKEN_ATTEMPTS_ON_TRANSIENT_ERROR = 3;
const TOKEN_RETRY_DELAY_MS = 400;
/** Longest Retry-After the token request waits for; a longer one fails at once. */
const TOKEN_MAX_RETRY_AFTER_MS = 10_000;
/** PISTE tokens live one hour (docs/chorus-pro-api.md §1.1); used when `expires_in` is missing. */
const DEFAULT_TOKEN_LIFETIME_S = 3600;

/**
 * A saved token is replaced once less than this is left. Five minutes cover the longest request
 * (uploads may take up to 300 s) and clocks a little apart between n8n and PISTE.
 */
const TOKEN_RENEWAL_MARGIN_MS = 5 * 60_000;

/**
 * Whether the saved token must be replaced before the next call: there is none, its expiry is
 * unknown (saved by an earlier version), or less than TOKEN_RENEWAL_MARGIN_MS is left.
 */
export function tokenNeedsRenewal(
	credentials: ICredentialDataDecryptedObject,
	now = Date.now(),
): boolean {
	if (!text(credentials.accessToken)) return true;
	const expiresAt = Date.parse(text(credentials.expiresAt));
	return Number.isNaN(expiresAt) || now >= expiresAt - TOKEN_RENEWAL_MARGIN_MS;
}

interface TokenResponse {
	statusCode: number;
	headers?: Record<string, unknown>;
	body: unknown;
}

interface PisteToken {
	accessToken: string;
	/** ISO date when PISTE stops accepting it (from `expires_in`). */
	expiresAt: string;
}

/** A new access token from the PISTE token endpoint, retried on flakes and transient errors. */
export async function requestToken(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<PisteToken> {
	const problem = chorusProUrlProblem(credentials);
	if (problem) throw new OperationalError(problem);
	const { tokenUrl } = chorusProUrls(credentials);
	const clientId = text(credentials.clientId);
	const clientSecret = String(credentials.clientSecret ?? '');
	if (!clientId || !clientSecret) {
		throw new OperationalError(
			'The Chorus Pro credential is incomplete: fill in the PISTE client ID and client secret',
		);
	}
	const flakyTokenEndpoint = text(credentials.environment) !== 'production';
	const form = new URLSearchParams({
		grant_type: 'client_credentials',
		client_id: clientId,
		client_secret: clientSecret,
		scope: 'openid',
	}).toString();

	let invalidClientAttempts = 0;
	let transientAttempts = 0;
	for (;;) {
		let response: TokenResponse | undefined;
		const sentAt = Date.now();
		try {
			response = (await helper.helpers.httpRequest({
				method: 'POST',
				url: tokenUrl,
				body: form,
				headers: {
					'Content-Type': 'application/x-www-form-urlencoded',
					Accept: 'application/json',
				},
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: 30_000,
			})) as TokenResponse;
		} catch (error) {
			if (networkCodeOf(error) && ++transientAttempts < TOKEN_ATTEMPTS_ON_TRANSIENT_ERROR) {
				await sleep(TOKEN_RETRY_DELAY_MS * transientAttempts);
				continue;
			}
		}
		// Any other failure of the call: a message of our own, as the client's could quote the form.
		if (!response) {
			throw new OperationalError(
				'Could not reach the PISTE token endpoint: check the environment (or the custom token URL) and the network',
			);
		}

		const body = (response.body ?? {}) as IDataObject;
		const token = typeof body.access_token === 'string' ? body.access_token : '';
		if (response.statusCode >= 200 && response.statusCode < 300 && token) {
			const lifetime = Number(body.expires_in);
			const seconds =
				Number.isFinite(lifetime) && lifetime > 0 ? lifetime : DEFAULT_TOKEN_LIFETIME_S;
			// From when it was asked for: the token may have been issued before the answer arrived.
			return { accessToken: token, expiresAt: new Date(sentAt + seconds * 1000).toISOString() };
		}

		// Static messages only: a token error body must never be echoed (it could reflect secrets).
		if (body.error === 'invalid_client') {
			if (flakyTokenEndpoint && ++invalidClientAttempts < TOKEN_ATTEMPTS_ON_INVALID_CLIENT) {
				await sleep(TOKEN_RETRY_DELAY_MS * invalidClientAttempts);
				continue;
			}
			throw new OperationalError(
				'PISTE refused the client ID or client secret (invalid_client). Copy them again from your PISTE application, and check that the environment matches it: qualification (sandbox) and production applications have different credentials.',
			);
		}
		if (
			(response.statusCode === 429 || response.statusCode >= 500) &&
			++transientAttempts < TOKEN_ATTEMPTS_ON_TRANSIENT_ERROR
		) {
			const asked = retryAfterMs(response.headers ?? {});
			if (asked === undefined || asked <= TOKEN_MAX_RETRY_AFTER_MS) {
				await sleep(asked ?? TOKEN_RETRY_DELAY_MS * transientAttempts);
				continue;
			}
		}
		throw new OperationalError(
			`The PISTE token endpoint answered HTTP ${response.statusCode} without an access token${
				typeof body.error === 'string' && /^[a-z_]{1,40}$/.test(body.error)
					? ` (${body.error})`
					: ''
			}: check the environment and the token URL`,
		);
	}
}
