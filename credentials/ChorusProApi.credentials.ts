import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';
import { OperationalError, sleep } from 'n8n-workflow';

import { retryAfterMs } from '../nodes/ChorusPro/transport/errors';

/** PISTE hosts per environment (the qualification platform is PISTE's "sandbox"). */
export const CHORUS_PRO_ENVIRONMENTS: Record<string, { tokenUrl: string; apiBaseUrl: string }> = {
	qualification: {
		tokenUrl: 'https://sandbox-oauth.piste.gouv.fr/api/oauth/token',
		apiBaseUrl: 'https://sandbox-api.piste.gouv.fr',
	},
	production: {
		tokenUrl: 'https://oauth.piste.gouv.fr/api/oauth/token',
		apiBaseUrl: 'https://api.piste.gouv.fr',
	},
};

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
export const TOKEN_RENEWAL_MARGIN_MS = 5 * 60_000;

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

/** Token and API URLs of the environment chosen in the credential. */
export function chorusProUrls(credentials: ICredentialDataDecryptedObject) {
	const environment = text(credentials.environment) || 'qualification';
	if (environment === 'custom') {
		return {
			tokenUrl: text(credentials.tokenUrl),
			apiBaseUrl: text(credentials.apiBaseUrl).replace(/\/+$/, ''),
		};
	}
	return CHORUS_PRO_ENVIRONMENTS[environment] ?? CHORUS_PRO_ENVIRONMENTS.qualification;
}

/** This machine: 127.0.0.0/8, localhost, [::1], as the URL parser writes them (lower case, IPv4 in dotted decimal). */
function isLoopback(hostname: string): boolean {
	return (
		hostname === 'localhost' ||
		hostname === '[::1]' ||
		/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
	);
}

/** Why a URL of the credential cannot be used, naming its field; undefined when it can. */
function urlProblem(field: string, value: string, carries: string): string | undefined {
	// The URL itself is never quoted: a user may have typed a secret into it.
	if (!value) return `${field} is empty: fill it in the Chorus Pro credential (environment Custom)`;
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return `${field} is not a valid URL: write it in full, starting with https://`;
	}
	if (url.protocol === 'https:' && url.hostname) return undefined;
	if (url.protocol === 'http:' && isLoopback(url.hostname)) return undefined;
	if (url.protocol === 'http:') {
		return `${field} must start with https://: over plain http:// the ${carries} would travel unencrypted. http:// is accepted only for this machine (127.0.0.1, localhost, [::1]).`;
	}
	return `${field} must start with https://`;
}

/**
 * Why the token URL or the API base URL cannot be used (empty, malformed, or plain http:// to
 * another machine), or undefined. Checked before any request: by the credential before asking
 * for a token, and by the node before each call.
 */
export function chorusProUrlProblem(
	credentials: ICredentialDataDecryptedObject,
): string | undefined {
	const { tokenUrl, apiBaseUrl } = chorusProUrls(credentials);
	return (
		urlProblem('Token URL', tokenUrl, 'client secret and the access token') ??
		urlProblem(
			'API Base URL',
			apiBaseUrl,
			'access token and the technical account (login and password)',
		)
	);
}

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

/** `cpro-account` header: base64 of the UTF-8 bytes of `login:password`. */
export function cproAccountHeader(credentials: ICredentialDataDecryptedObject): string {
	const pair = `${text(credentials.technicalLogin)}:${String(credentials.technicalPassword ?? '')}`;
	return Buffer.from(pair, 'utf8').toString('base64');
}

function isNetworkError(error: unknown): boolean {
	const code =
		(error as { code?: unknown; cause?: { code?: unknown } })?.code ??
		(error as { cause?: { code?: unknown } })?.cause?.code;
	return (
		typeof code === 'string' &&
		/^(ECONN|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|EPIPE|ECONNABORTED|UND_ERR)/.test(code)
	);
}

interface PisteToken {
	accessToken: string;
	/** ISO date when PISTE stops accepting it (from `expires_in`). */
	expiresAt: string;
}

async function requestToken(
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
		let response: { statusCode: number; headers?: Record<string, unknown>; body: unknown };
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
			})) as { statusCode: number; headers?: Record<string, unknown>; body: unknown };
		} catch (error) {
			if (isNetworkError(error) && ++transientAttempts < TOKEN_ATTEMPTS_ON_TRANSIENT_ERROR) {
				await sleep(TOKEN_RETRY_DELAY_MS * transientAttempts);
				continue;
			}
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

export class ChorusProApi implements ICredentialType {
	name = 'chorusProApi';

	displayName = 'Chorus Pro API';

	documentationUrl = 'https://github.com/n8n-nodes-chorus-pro/n8n-nodes-chorus-pro#credentials';

	icon: Icon = { light: 'file:../icons/chorusPro.svg', dark: 'file:../icons/chorusPro.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			// When PISTE stops accepting the access token; saved with it by preAuthentication.
			displayName: 'Access Token Expires At',
			name: 'expiresAt',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{
					name: 'Qualification (Sandbox)',
					value: 'qualification',
					description: 'PISTE sandbox and the Chorus Pro qualification platform (test data)',
				},
				{
					name: 'Production',
					value: 'production',
					description: 'PISTE production and the real Chorus Pro',
				},
				{
					name: 'Custom',
					value: 'custom',
					description: 'Your own token and API URLs, e.g. a proxy or a local emulator',
				},
			],
			default: 'qualification',
		},
		{
			displayName: 'Token URL',
			name: 'tokenUrl',
			type: 'string',
			default: '',
			placeholder: 'https://sandbox-oauth.piste.gouv.fr/api/oauth/token',
			required: true,
			displayOptions: { show: { environment: ['custom'] } },
			description: 'OAuth2 token endpoint of PISTE (client credentials)',
		},
		{
			displayName: 'API Base URL',
			name: 'apiBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://sandbox-api.piste.gouv.fr',
			required: true,
			displayOptions: { show: { environment: ['custom'] } },
			description: 'Base URL in front of the /cpro/... paths',
		},
		{
			displayName: 'PISTE Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'OAuth client ID of your PISTE application (PISTE > Applications > your app)',
		},
		{
			displayName: 'PISTE Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Technical Account Login',
			name: 'technicalLogin',
			type: 'string',
			default: '',
			placeholder: 'TECH_1_12345678900012@cpro.fr',
			required: true,
			description:
				'Login of the Chorus Pro technical account created in the connections area (Raccordements) of Chorus Pro',
		},
		{
			displayName: 'Technical Account Password',
			name: 'technicalPassword',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Must be renewed every 424 days on Chorus Pro by the main manager of the structure',
		},
		{
			displayName: 'Technical Account Renewal Date',
			name: 'renewalDate',
			type: 'dateTime',
			default: '',
			description:
				'Optional: when the technical password expires (Chorus Pro requires a new one every 424 days). The node warns in its output from 30 days before.',
		},
	];

	/**
	 * n8n runs this when the first hidden `expirable` field (accessToken) is empty, after a 401
	 * that reaches its own refresh path, and for a credential test; it saves what this returns in
	 * the stored credential, so every execution and worker shares one token (no module state).
	 *
	 * Renewal before expiry: the expiry is saved next to the token. Before each call the node's
	 * transport (nodes/ChorusPro/transport/request.ts) reads the credential; when the token has
	 * less than TOKEN_RENEWAL_MARGIN_MS left, it hands n8n a copy of the credential whose
	 * accessToken is empty (IAdditionalCredentialOptions.credentialsDecrypted). n8n's rule "empty
	 * expirable field: run preAuthentication" then fetches a new token and saves it, and the call
	 * goes out with it: no call has to fail with 401 first.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const token = await requestToken(this, credentials);
		return { accessToken: token.accessToken, expiresAt: token.expiresAt };
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		// Last guard: the token and the technical account never leave for an unsafe URL.
		const problem = chorusProUrlProblem(credentials);
		if (problem) throw new OperationalError(problem);
		requestOptions.baseURL = chorusProUrls(credentials).apiBaseUrl;
		requestOptions.headers = {
			...requestOptions.headers,
			Authorization: `Bearer ${String(credentials.accessToken ?? '')}`,
			'cpro-account': cproAccountHeader(credentials),
		};
		return requestOptions;
	}

	// The health check needs both the PISTE token and the technical account, so it proves both layers.
	test: ICredentialTestRequest = {
		request: {
			method: 'GET',
			url: '/cpro/transverses/v1/health-check',
			headers: { Accept: 'application/json;charset=utf-8' },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'PISTE accepted the client ID and secret, but Chorus Pro refused the technical account (cpro-account): check the technical login and password, and that the password has not expired (424 days)',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'The PISTE application is not subscribed to the Chorus Pro "Transverses" API: in PISTE, accept the terms of use of the Chorus Pro APIs and attach Factures, Structures, Transverses and Utilisateurs to the application (sandbox and production are separate)',
				},
			},
		],
	};
}
