// @ts-check
/**
 * Helpers shared by the sandbox tests (*.test.mjs): sample bodies, the `sameShape` comparison, tokens, API and
 * admin calls, and a started sandbox with supplier / recipient clients. Not named test-*.mjs: `node --test` would
 * run it as one more (empty) test file.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createSandbox } from '../../sandbox/server.mjs';

/** @typedef {import('../../sandbox/server.mjs').Sandbox} Sandbox */
/** @typedef {{ clientId: string, clientSecret: string }} Client */
/** @typedef {{ technicalLogin: string, technicalPassword: string }} TechnicalAccount */
/** @typedef {{ status: number, body: any }} JsonReply */

/** Text of a file of test/samples/ (origins in test/samples/SOURCES.md). @param {string} name */
export const sampleText = (name) =>
	readFileSync(new URL(`../samples/${name}`, import.meta.url), 'utf8');
/** Parsed JSON of a file of test/samples/. @param {string} name */
export const sample = (name) => JSON.parse(sampleText(name));

/**
 * Same keys / nesting / types as the sample (values not compared). With `exact`, no extra keys either.
 * A null in the sample matches anything. With `nullMatchesAny`, a null in the answer matches anything too (the
 * API answers null for absent optional values): the factures / flux tests need it, the core tests do not.
 * @param {any} actual @param {any} expected @param {{ exact?: boolean, nullMatchesAny?: boolean }} [opts] @param {string} [path]
 */
export function sameShape(actual, expected, opts = {}, path = '$') {
	if (expected === null || (opts.nullMatchesAny && actual === null)) return;
	if (Array.isArray(expected)) {
		assert.ok(Array.isArray(actual), `${path} should be an array`);
		if (expected.length && actual.length)
			for (const item of actual) sameShape(item, expected[0], opts, `${path}[]`);
		return;
	}
	if (typeof expected === 'object') {
		assert.ok(
			actual && typeof actual === 'object' && !Array.isArray(actual),
			`${path} should be an object`,
		);
		for (const key of Object.keys(expected)) {
			assert.ok(key in actual, `${path}.${key} is missing`);
			sameShape(actual[key], expected[key], opts, `${path}.${key}`);
		}
		if (opts.exact)
			assert.deepEqual(
				Object.keys(actual).filter((k) => !(k in expected)),
				[],
				`${path} has extra keys`,
			);
		return;
	}
	assert.equal(typeof actual, typeof expected, `${path} should be a ${typeof expected}`);
}

/** Value of the `cpro-account` header. @param {string} login @param {string} password */
export const cproAccount = (login, password) =>
	Buffer.from(`${login}:${password}`, 'utf8').toString('base64');

/** POSTs a form to the token endpoint. @param {string} tokenUrl @param {Record<string, string>} form */
export function tokenRequest(tokenUrl, form) {
	return fetch(tokenUrl, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(form),
	});
}

/** Asks a token for `client` (client_credentials, scope openid). @param {Sandbox} sb @param {Client} [client] */
export function requestToken(sb, client = sb.credentials) {
	return tokenRequest(sb.tokenUrl, {
		grant_type: 'client_credentials',
		client_id: client.clientId,
		client_secret: client.clientSecret,
		scope: 'openid',
	});
}

/** The access token for `client`, the status not checked (set-up of the service tests). @param {Sandbox} sb @param {Client} [client] */
export async function accessToken(sb, client = sb.credentials) {
	return /** @type {string} */ ((await (await requestToken(sb, client)).json()).access_token);
}

/** The access token for `client`, asserting a 200 answer (tests of the token endpoint and the gateway). @param {Sandbox} sb @param {Client} [client] */
export async function getToken(sb, client = sb.credentials) {
	const res = await requestToken(sb, client);
	assert.equal(res.status, 200);
	return /** @type {string} */ ((await res.json()).access_token);
}

/**
 * Authorization, cpro-account and JSON Content-Type headers of an API call; `extra` adds or overrides headers.
 * @param {TechnicalAccount} account @param {string} token @param {Record<string, string>} [extra]
 * @returns {Record<string, string>}
 */
export function authHeaders(account, token, extra = {}) {
	return {
		Authorization: `Bearer ${token}`,
		'cpro-account': cproAccount(account.technicalLogin, account.technicalPassword),
		'Content-Type': 'application/json;charset=utf-8',
		...extra,
	};
}

/**
 * Calls an admin hook: GET without a body, POST with one, unless `method` is given.
 * @param {Sandbox} sb @param {string} path @param {any} [body] @param {string} [method] @returns {Promise<JsonReply>}
 */
export async function admin(sb, path, body, method = body === undefined ? 'GET' : 'POST') {
	const res = await fetch(`${sb.adminUrl}${path}`, {
		method,
		headers: { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: res.status, body: await res.json() };
}

/**
 * Gets a token for `account` now and returns a function that POSTs a JSON body to an API path with it.
 * The answer is parsed as JSON, so an empty answer fails, unless `emptyAsNull` (then its body is null: the
 * factures / flux tests need it). `headers` adds or overrides headers (files.test.mjs sends plain application/json).
 * @param {Sandbox} sb @param {Client & TechnicalAccount} account
 * @param {{ emptyAsNull?: boolean, headers?: Record<string, string> }} [opts]
 * @returns {Promise<(path: string, body?: any) => Promise<JsonReply>>}
 */
export async function apiClient(sb, account, opts = {}) {
	const headers = authHeaders(account, await accessToken(sb, account), opts.headers);
	return async (path, body = {}) => {
		const res = await fetch(sb.url + path, { method: 'POST', headers, body: JSON.stringify(body) });
		const text = await res.text();
		return { status: res.status, body: opts.emptyAsNull && !text ? null : JSON.parse(text) };
	};
}

/**
 * A sandbox with helpers to call the API as the supplier (default) or the recipient account, and the admin hooks.
 * Each account's token is asked on its first call and kept.
 * @param {import('../../sandbox/server.mjs').SandboxOptions} [options]
 */
export async function startSandbox(options) {
	const sb = await createSandbox({ port: 0, ...options });
	/** @type {Partial<Record<'supplier'|'recipient', (path: string, body?: any) => Promise<JsonReply>>>} */
	const clients = {};
	return {
		sb,
		/** @param {string} path @param {any} body @param {'supplier'|'recipient'} [who] @returns {Promise<JsonReply>} */
		async api(path, body, who = 'supplier') {
			const call = (clients[who] ??= await apiClient(
				sb,
				who === 'supplier' ? sb.credentials : sb.recipientCredentials,
				{ emptyAsNull: true },
			));
			return call(path, body);
		},
		/** @param {string} path @param {any} [body] @returns {Promise<JsonReply>} */
		admin: (path, body) => admin(sb, path, body),
	};
}

let n = 0;
/** Unique invoice numbers across the tests of a file. @param {string} p */
export const num = (p) => `${p}-${Date.now().toString(36).slice(-4)}${++n}`;
