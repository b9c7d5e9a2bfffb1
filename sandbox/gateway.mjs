// @ts-check
/**
 * PISTE gateway emulation: the OAuth2 token endpoint and the checks made on every `/cpro/**` request
 * (docs/chorus-pro-api.md §1 and §5.1). Order of the checks (the server applies faults and the route lookup
 * before): bearer token → API subscription of the PISTE application → cpro-account → (server) content type,
 * size, JSON.
 */
import { randomBytes } from 'node:crypto';
import { API_GROUPS, accountByLogin } from './seed.mjs';

/** @typedef {import('./seed.mjs').State} State */
/** @typedef {import('./seed.mjs').ApiGroup} ApiGroup */
/** @typedef {import('./seed.mjs').TechnicalAccount} TechnicalAccount */
/** @typedef {import('./replies.mjs').Reply} Reply */

export const WWW_AUTH_INVALID_TOKEN =
	'Bearer realm="PISTE",error="invalid_token",error_description="The access token is invalid or has expired"';
export const WWW_AUTH_BAD_ACCOUNT =
	'Bearer realm="PISTE",error="Unauthorized",error_description="login or password incorrects"';

const MB = 1024 * 1024;
/** Request body limits (bytes of JSON). The 10 MB file limits themselves are checked on the decoded file by the services. */
const BODY_LIMITS = {
	'/cpro/factures/v1/deposer/flux': 120 * MB,
	// base64 of a 10 MB file is 13.4 MB: above 16 MB the decoded file is over 10 MB anyway (413 like the service).
	'/cpro/factures/v1/deposer/pdf': 16 * MB,
	// ajouter/fichier answers 20003 (HTTP 400) for a file over 10 MB, so let big bodies reach the service.
	'/cpro/transverses/v1/ajouter/fichier': 120 * MB,
};
const DEFAULT_LIMIT = 1 * MB;

/** @param {string} path */
export function bodyLimitFor(path) {
	return /** @type {Record<string, number>} */ (BODY_LIMITS)[path] ?? DEFAULT_LIMIT;
}

/**
 * API group of a `/cpro/<group>/v1/...` path, or null.
 * @param {string} path @returns {ApiGroup|null}
 */
export function groupOf(path) {
	const m = /^\/cpro\/([^/]+)\/v1\//.exec(path);
	const g = m ? m[1] : '';
	return /** @type {ApiGroup[]} */ (API_GROUPS).includes(/** @type {ApiGroup} */ (g))
		? /** @type {ApiGroup} */ (g)
		: null;
}

/** `application/json` with optional parameters, any case. @param {string} contentType */
export function isJsonContentType(contentType) {
	return /^application\/json\s*(;|$)/i.test(contentType.trim());
}

/**
 * POST /api/oauth/token (form-urlencoded client_credentials grant, client id/secret in the form body).
 * @param {State} state @param {string} contentType @param {Buffer} raw
 * @returns {Reply}
 */
export function tokenEndpoint(state, contentType, raw) {
	if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(contentType.trim())) {
		return {
			status: 400,
			body: {
				error: 'invalid_request',
				error_description: 'Content-Type must be application/x-www-form-urlencoded',
			},
		};
	}
	const form = new URLSearchParams(raw.toString('utf8'));
	const grantType = form.get('grant_type');
	if (!grantType)
		return {
			status: 400,
			body: { error: 'invalid_request', error_description: 'Missing grant_type' },
		};
	if (grantType !== 'client_credentials') {
		return {
			status: 400,
			body: {
				error: 'unsupported_grant_type',
				error_description: `Unsupported grant_type ${grantType}`,
			},
		};
	}
	const client = state.clients.find((c) => c.clientId === form.get('client_id'));
	if (!client || client.clientSecret !== form.get('client_secret')) {
		return {
			status: 400,
			body: { error: 'invalid_client', error_description: 'Bad client credentials' },
		};
	}
	const scope = form.get('scope');
	if (scope !== null && !scope.split(/\s+/).includes('openid')) {
		return {
			status: 400,
			body: { error: 'invalid_scope', error_description: `Invalid scope ${scope}` },
		};
	}
	const token = randomBytes(32).toString('base64url'); // 43 chars
	const issuedAt = state.clock.now().getTime();
	const ttl = state.config.tokenTtlSeconds;
	state.tokens.set(token, {
		token,
		clientId: client.clientId,
		issuedAt,
		expiresAt: issuedAt + ttl * 1000,
	});
	return {
		status: 200,
		headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
		body: { access_token: token, token_type: 'Bearer', expires_in: ttl, scope: 'openid' },
	};
}

/**
 * Decodes a `cpro-account` header (base64 of `login:password`, UTF-8) into the technical account, or null.
 * @param {State} state @param {string|string[]|undefined} header
 * @returns {TechnicalAccount|null}
 */
export function accountFromHeader(state, header) {
	if (typeof header !== 'string') return null;
	const value = header.trim();
	if (!value || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return null;
	const decoded = Buffer.from(value, 'base64').toString('utf8');
	const sep = decoded.indexOf(':');
	if (sep <= 0) return null;
	const account = accountByLogin(state, decoded.slice(0, sep));
	return account && account.password === decoded.slice(sep + 1) ? account : null;
}

/**
 * Checks 3-5 of the gateway for a known route of `group`.
 * @param {State} state @param {import('node:http').IncomingHttpHeaders} headers @param {ApiGroup} group
 * @returns {{ reply: Reply } | { account: TechnicalAccount, clientId: string }}
 */
export function authorize(state, headers, group) {
	const m = /^Bearer\s+(\S+)\s*$/i.exec(String(headers.authorization ?? ''));
	const record = m ? state.tokens.get(m[1]) : undefined;
	if (!record || state.clock.now().getTime() >= record.expiresAt) {
		return { reply: { status: 401, headers: { 'WWW-Authenticate': WWW_AUTH_INVALID_TOKEN } } };
	}
	const client = state.clients.find((c) => c.clientId === record.clientId);
	if (!client || !client.groups.includes(group)) return { reply: { status: 403 } };
	const account = accountFromHeader(state, headers['cpro-account']);
	if (!account) {
		return {
			reply: {
				status: 401,
				headers: { 'WWW-Authenticate': WWW_AUTH_BAD_ACCOUNT, 'Content-Type': 'application/json' },
				body: { ErrorCode: '401', Description: '[invalid field]' },
			},
		};
	}
	return { account, clientId: client.clientId };
}
