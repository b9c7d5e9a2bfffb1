// @ts-check
/**
 * Tests of the sandbox core: token endpoint, gateway rules, admin hooks (faults, request log, reset, clock,
 * config). The services of transverses / structures / utilisateurs / engagementsJuridiques are in
 * core-services.test.mjs. Run with `node --test test/sandbox/`.
 */
import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createSandbox } from '../../sandbox/server.mjs';
import { listRoutes } from '../../sandbox/routing.mjs';
import { paginate, ReplyError } from '../../sandbox/replies.mjs';
import { authorize, WWW_AUTH_INVALID_TOKEN, WWW_AUTH_BAD_ACCOUNT } from '../../sandbox/gateway.mjs';
import { NO_FACTURES_CLIENT, createState } from '../../sandbox/seed.mjs';
import {
	sample,
	sampleText,
	sameShape,
	cproAccount,
	tokenRequest,
	getToken,
	authHeaders,
	admin,
} from './testing-helpers.mjs';

/**
 * Headers of an API call with the supplier account; unlike the other test files, these also send Accept.
 * @param {import('../../sandbox/server.mjs').Sandbox} sb @param {string} token @param {Record<string, string>} [extra]
 */
const apiHeaders = (sb, token, extra = {}) =>
	authHeaders(sb.credentials, token, { Accept: 'application/json;charset=utf-8', ...extra });

const RECHERCHER = '/cpro/structures/v1/rechercher';

describe('token endpoint', () => {
	/** @type {import('../../sandbox/server.mjs').Sandbox} */
	let sb;
	before(async () => {
		sb = await createSandbox();
	});
	after(() => sb.close());

	it('issues a bearer token shaped like the PISTE answer', async () => {
		const res = await tokenRequest(sb.tokenUrl, {
			grant_type: 'client_credentials',
			client_id: 'sandbox-client-id',
			client_secret: 'sandbox-client-secret',
			scope: 'openid',
		});
		assert.equal(res.status, 200);
		const body = await res.json();
		sameShape(body, sample('piste-oauth-token.response.json'), { exact: true });
		assert.equal(body.token_type, 'Bearer');
		assert.equal(body.expires_in, 3600);
		assert.equal(body.scope, 'openid');
		assert.ok(body.access_token.length >= 40);
	});

	it('accepts a request without scope and answers each call with a new token', async () => {
		const a = await (
			await tokenRequest(sb.tokenUrl, {
				grant_type: 'client_credentials',
				client_id: 'sandbox-client-id',
				client_secret: 'sandbox-client-secret',
			})
		).json();
		const b = await getToken(sb);
		assert.notEqual(a.access_token, b);
	});

	it('refuses a wrong content type with invalid_request', async () => {
		const res = await fetch(sb.tokenUrl, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({
				grant_type: 'client_credentials',
				client_id: 'sandbox-client-id',
				client_secret: 'sandbox-client-secret',
			}),
		});
		assert.equal(res.status, 400);
		assert.equal((await res.json()).error, 'invalid_request');
	});

	for (const [label, form] of /** @type {[string, Record<string, string>][]} */ ([
		[
			'unknown client',
			{
				grant_type: 'client_credentials',
				client_id: 'nobody',
				client_secret: 'sandbox-client-secret',
			},
		],
		[
			'wrong secret',
			{ grant_type: 'client_credentials', client_id: 'sandbox-client-id', client_secret: 'wrong' },
		],
		['missing secret', { grant_type: 'client_credentials', client_id: 'sandbox-client-id' }],
	])) {
		it(`answers invalid_client for a ${label}`, async () => {
			const res = await tokenRequest(sb.tokenUrl, form);
			assert.equal(res.status, 400);
			const body = await res.json();
			sameShape(body, sample('piste-oauth-token.error-invalid-client.response.json'));
			assert.deepEqual(body, {
				error: 'invalid_client',
				error_description: 'Bad client credentials',
			});
		});
	}

	it('answers unsupported_grant_type for another grant and invalid_request without one', async () => {
		let res = await tokenRequest(sb.tokenUrl, {
			grant_type: 'password',
			client_id: 'sandbox-client-id',
			client_secret: 'sandbox-client-secret',
		});
		assert.equal(res.status, 400);
		assert.equal((await res.json()).error, 'unsupported_grant_type');
		res = await tokenRequest(sb.tokenUrl, {
			client_id: 'sandbox-client-id',
			client_secret: 'sandbox-client-secret',
		});
		assert.equal(res.status, 400);
		assert.equal((await res.json()).error, 'invalid_request');
	});
});

describe('gateway', () => {
	/** @type {import('../../sandbox/server.mjs').Sandbox} */
	let sb;
	/** @type {string} */
	let token;
	before(async () => {
		sb = await createSandbox();
	});
	after(() => sb.close());
	beforeEach(async () => {
		await admin(sb, '/reset', {});
		token = await getToken(sb);
	});

	it('lets a well-formed request through', async () => {
		const res = await fetch(sb.url + RECHERCHER, {
			method: 'POST',
			headers: apiHeaders(sb, token),
			body: '{}',
		});
		assert.equal(res.status, 200);
		assert.equal(res.headers.get('content-type'), 'application/json;charset=UTF-8');
		assert.equal((await res.json()).codeRetour, 0);
	});

	it('answers 403 with an empty body for an undeclared route or a wrong method (before checking the token)', async () => {
		for (const [method, path] of [
			['POST', '/cpro/factures/v1/consulter/cr'],
			['POST', '/cpro/inconnu/v1/x'],
			['GET', RECHERCHER],
		]) {
			const res = await fetch(sb.url + path, {
				method,
				headers: method === 'POST' ? { 'Content-Type': 'application/json' } : {},
				body: method === 'POST' ? '{}' : undefined,
			});
			assert.equal(res.status, 403, `${method} ${path}`);
			assert.equal(res.headers.get('content-length'), '0');
			assert.equal(await res.text(), '');
		}
	});

	it('answers 401 invalid_token with an empty body for a missing, unknown or malformed bearer', async () => {
		for (const authorization of [undefined, 'Bearer not-a-token', `Basic ${token}`, token]) {
			/** @type {Record<string, string>} */
			const headers = apiHeaders(sb, token);
			if (authorization === undefined) delete headers.Authorization;
			else headers.Authorization = authorization;
			const res = await fetch(sb.url + RECHERCHER, { method: 'POST', headers, body: '{}' });
			assert.equal(res.status, 401, String(authorization));
			assert.equal(res.headers.get('www-authenticate'), WWW_AUTH_INVALID_TOKEN);
			assert.equal(await res.text(), '');
		}
	});

	it('expires tokens after expires_in seconds of sandbox clock', async () => {
		await admin(sb, '/clock', { advanceSeconds: 3599 });
		let res = await fetch(sb.url + RECHERCHER, {
			method: 'POST',
			headers: apiHeaders(sb, token),
			body: '{}',
		});
		assert.equal(res.status, 200);
		await admin(sb, '/clock', { advanceSeconds: 2 });
		res = await fetch(sb.url + RECHERCHER, {
			method: 'POST',
			headers: apiHeaders(sb, token),
			body: '{}',
		});
		assert.equal(res.status, 401);
		assert.equal(res.headers.get('www-authenticate'), WWW_AUTH_INVALID_TOKEN);
		// A new token works again.
		res = await fetch(sb.url + RECHERCHER, {
			method: 'POST',
			headers: apiHeaders(sb, await getToken(sb)),
			body: '{}',
		});
		assert.equal(res.status, 200);
	});

	it('expires every token with POST /__admin/tokens/expire', async () => {
		const r = await admin(sb, '/tokens/expire', {});
		assert.equal(r.status, 200);
		const res = await fetch(sb.url + RECHERCHER, {
			method: 'POST',
			headers: apiHeaders(sb, token),
			body: '{}',
		});
		assert.equal(res.status, 401);
	});

	it('answers 403 with an empty body when the PISTE application is not subscribed to the API group', async () => {
		const other = await getToken(sb, NO_FACTURES_CLIENT);
		// Subscribed groups work...
		let res = await fetch(sb.url + RECHERCHER, {
			method: 'POST',
			headers: apiHeaders(sb, other),
			body: '{}',
		});
		assert.equal(res.status, 200);
		// ...factures does not, even with a valid body and account.
		res = await fetch(sb.url + '/cpro/factures/v1/deposer/flux', {
			method: 'POST',
			headers: apiHeaders(sb, other),
			body: '{}',
		});
		assert.equal(res.status, 403);
		assert.equal(res.headers.get('content-length'), '0');
		assert.equal(await res.text(), '');
		if (listRoutes().includes('POST /cpro/factures/v1/deposer/flux')) {
			res = await fetch(sb.url + '/cpro/factures/v1/deposer/flux', {
				method: 'POST',
				headers: apiHeaders(sb, token),
				body: '{}',
			});
			assert.notEqual(res.status, 403);
			await res.arrayBuffer();
		}
		// The check itself, independently of the factures routes.
		const state = createState();
		const issued = {
			token: 't',
			clientId: NO_FACTURES_CLIENT.clientId,
			issuedAt: 0,
			expiresAt: Date.now() + 60_000,
		};
		state.tokens.set('t', issued);
		const headers = {
			authorization: 'Bearer t',
			'cpro-account': cproAccount(sb.credentials.technicalLogin, sb.credentials.technicalPassword),
		};
		assert.deepEqual(authorize(state, headers, 'factures'), { reply: { status: 403 } });
		assert.ok('account' in authorize(state, headers, 'structures'));
	});

	it('answers 401 with the PISTE header and body for a bad cpro-account', async () => {
		const raw = sampleText('piste-401-bad-cpro-account.http.txt')
			.split('\n')
			.filter((l) => !l.startsWith('#'));
		const expectedHeader = raw
			.find((l) => l.startsWith('WWW-Authenticate:'))
			?.slice('WWW-Authenticate:'.length)
			.trim();
		const expectedBody = JSON.parse(raw.filter((l) => l.startsWith('{')).join(''));
		assert.equal(expectedHeader, WWW_AUTH_BAD_ACCOUNT);
		const { technicalLogin: login, technicalPassword: password } = sb.credentials;
		for (const [label, value] of [
			['missing', undefined],
			['wrong password', cproAccount(login, 'wrong')],
			['unknown login', cproAccount('TECH_1_99999999999999@cpro.fr', password)],
			['not base64', `${login}:${password}`],
			['no colon', Buffer.from(login).toString('base64')],
			['Basic prefix', `Basic ${cproAccount(login, password)}`],
		]) {
			/** @type {Record<string, string>} */
			const headers = apiHeaders(sb, token);
			if (value === undefined) delete headers['cpro-account'];
			else headers['cpro-account'] = value;
			const res = await fetch(sb.url + RECHERCHER, { method: 'POST', headers, body: '{}' });
			assert.equal(res.status, 401, label);
			assert.equal(res.headers.get('www-authenticate'), expectedHeader, label);
			assert.deepEqual(await res.json(), expectedBody, label);
		}
	});

	it('checks the bearer before the cpro-account', async () => {
		const res = await fetch(sb.url + RECHERCHER, {
			method: 'POST',
			headers: apiHeaders(sb, 'bad', { 'cpro-account': 'bad' }),
			body: '{}',
		});
		assert.equal(res.status, 401);
		assert.equal(res.headers.get('www-authenticate'), WWW_AUTH_INVALID_TOKEN);
		await res.arrayBuffer();
	});

	it('answers 415 when the body is not declared as JSON, and accepts JSON content types with parameters', async () => {
		for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonp']) {
			const res = await fetch(sb.url + RECHERCHER, {
				method: 'POST',
				headers: apiHeaders(sb, token, { 'Content-Type': type }),
				body: '{}',
			});
			assert.equal(res.status, 415, type);
			await res.arrayBuffer();
		}
		for (const type of [
			'application/json',
			'APPLICATION/JSON; charset=UTF-8',
			'application/json;charset=utf-8',
		]) {
			const res = await fetch(sb.url + RECHERCHER, {
				method: 'POST',
				headers: apiHeaders(sb, token, { 'Content-Type': type }),
				body: '{}',
			});
			assert.equal(res.status, 200, type);
			await res.arrayBuffer();
		}
	});

	it('answers 413 for a body over 1 MB on an ordinary service, without reading all of it', async () => {
		const big = JSON.stringify({ structure: { raisonSocialeStructure: 'x'.repeat(1024 * 1024) } });
		let res = await fetch(sb.url + RECHERCHER, {
			method: 'POST',
			headers: apiHeaders(sb, token),
			body: big,
		});
		assert.equal(res.status, 413);
		await res.arrayBuffer();
		// Streamed (chunked, no Content-Length) upload of 4 MB.
		const stream = new ReadableStream({
			start(controller) {
				for (let i = 0; i < 40; i++) controller.enqueue(new Uint8Array(100_000).fill(0x20));
				controller.close();
			},
		});
		// `duplex` is required by fetch for a stream body but missing from the RequestInit type.
		res = await fetch(
			sb.url + RECHERCHER,
			/** @type {any} */ ({
				method: 'POST',
				headers: apiHeaders(sb, token),
				body: stream,
				duplex: 'half',
			}),
		);
		assert.equal(res.status, 413);
		await res.arrayBuffer();
		// Just under the limit is accepted.
		const fits = JSON.stringify({
			structure: { raisonSocialeStructure: 'x'.repeat(1024 * 1024 - 100) },
		});
		res = await fetch(sb.url + RECHERCHER, {
			method: 'POST',
			headers: apiHeaders(sb, token),
			body: fits,
		});
		assert.equal(res.status, 200);
		await res.arrayBuffer();
	});

	it('answers 400 codeRetour 20098 for malformed JSON or a body that is not an object', async () => {
		for (const body of ['{"structure":', '', '[1,2]', '"text"', 'null']) {
			const res = await fetch(sb.url + RECHERCHER, {
				method: 'POST',
				headers: apiHeaders(sb, token),
				body,
			});
			assert.equal(res.status, 400, JSON.stringify(body));
			const json = await res.json();
			assert.equal(json.codeRetour, 20098);
			assert.equal(typeof json.libelle, 'string');
		}
	});

	it('serves GET health-check with the live answer, behind the same checks', async () => {
		let res = await fetch(sb.url + '/cpro/transverses/v1/health-check', {
			headers: apiHeaders(sb, token),
		});
		assert.equal(res.status, 200);
		const body = await res.json();
		sameShape(body, sample('transverses-health-check.response.json'), { exact: true });
		assert.deepEqual(body, sample('transverses-health-check.response.json'));
		res = await fetch(sb.url + '/cpro/transverses/v1/health-check', {
			headers: apiHeaders(sb, token, { 'cpro-account': 'x' }),
		});
		assert.equal(res.status, 401);
		await res.arrayBuffer();
		res = await fetch(sb.url + '/cpro/transverses/v1/health-check', {});
		assert.equal(res.status, 401);
		await res.arrayBuffer();
	});
});

describe('admin hooks', () => {
	/** @type {import('../../sandbox/server.mjs').Sandbox} */
	let sb;
	/** @type {string} */
	let token;
	before(async () => {
		sb = await createSandbox();
	});
	after(() => sb.close());
	beforeEach(async () => {
		await admin(sb, '/reset', {});
		token = await getToken(sb);
	});

	/** @param {any} [body] @param {Record<string, string>} [headers] */
	const search = (body = {}, headers = {}) =>
		fetch(sb.url + RECHERCHER, {
			method: 'POST',
			headers: apiHeaders(sb, token, headers),
			body: JSON.stringify(body),
		});

	it('applies a status fault to the next N matching requests only, decreasing its count', async () => {
		let r = await admin(sb, '/faults', {
			path: '/cpro/structures',
			count: 2,
			status: 503,
			body: { message: 'maintenance' },
			headers: { 'Retry-After': '1' },
		});
		assert.equal(r.status, 200);
		// Another path is not affected.
		let res = await fetch(sb.url + '/cpro/transverses/v1/recuperer/tauxtva', {
			method: 'POST',
			headers: apiHeaders(sb, token),
			body: '{}',
		});
		assert.equal(res.status, 200);
		await res.arrayBuffer();
		res = await search();
		assert.equal(res.status, 503);
		assert.equal(res.headers.get('retry-after'), '1');
		assert.deepEqual(await res.json(), { message: 'maintenance' });
		r = await admin(sb, '/faults');
		assert.equal(r.body.faults.length, 1);
		assert.equal(r.body.faults[0].count, 1);
		res = await search();
		assert.equal(res.status, 503);
		await res.arrayBuffer();
		assert.deepEqual((await admin(sb, '/faults')).body.faults, []);
		res = await search();
		assert.equal(res.status, 200);
		await res.arrayBuffer();
	});

	it('applies faults before the gateway checks (even without a token)', async () => {
		await admin(sb, '/faults', { count: 1, status: 500 });
		const res = await fetch(sb.url + '/cpro/inconnu/v1/x', { method: 'POST' });
		assert.equal(res.status, 500);
		assert.equal(await res.text(), '');
	});

	it('can answer a malformed body', async () => {
		await admin(sb, '/faults', {
			path: RECHERCHER,
			count: 1,
			status: 200,
			rawBody: '{"codeRetour":0,"libelle":',
		});
		const res = await search();
		assert.equal(res.status, 200);
		const text = await res.text();
		assert.equal(text, '{"codeRetour":0,"libelle":');
		assert.throws(() => JSON.parse(text));
	});

	it('can delay then answer normally', async () => {
		await admin(sb, '/faults', { path: RECHERCHER, count: 1, delayMs: 300 });
		const t0 = Date.now();
		const res = await search();
		assert.ok(Date.now() - t0 >= 280, `took ${Date.now() - t0} ms`);
		assert.equal(res.status, 200);
		assert.equal((await res.json()).codeRetour, 0);
	});

	it('can reset the connection without answering', async () => {
		await admin(sb, '/faults', { path: RECHERCHER, count: 1, reset: true });
		await assert.rejects(search(), TypeError);
		const res = await search();
		assert.equal(res.status, 200);
		await res.arrayBuffer();
	});

	it('can hang a request (the client times out; close() ends it)', async () => {
		await admin(sb, '/faults', { path: RECHERCHER, count: 1, hang: true });
		await assert.rejects(
			fetch(sb.url + RECHERCHER, {
				method: 'POST',
				headers: apiHeaders(sb, token),
				body: '{}',
				signal: AbortSignal.timeout(200),
			}),
		);
		const res = await search();
		assert.equal(res.status, 200);
		await res.arrayBuffer();
	});

	it('can fault the token endpoint', async () => {
		await admin(sb, '/faults', {
			path: '/api/oauth/token',
			count: 1,
			status: 400,
			body: { error: 'invalid_client' },
		});
		const res = await tokenRequest(sb.tokenUrl, {
			grant_type: 'client_credentials',
			client_id: 'sandbox-client-id',
			client_secret: 'sandbox-client-secret',
		});
		assert.equal(res.status, 400);
		assert.deepEqual(await res.json(), { error: 'invalid_client' });
		assert.ok(await getToken(sb));
	});

	it('validates fault descriptions and clears them', async () => {
		assert.equal((await admin(sb, '/faults', { count: 0, status: 500 })).status, 400);
		assert.equal((await admin(sb, '/faults', { count: 1, status: 42 })).status, 400);
		assert.equal((await admin(sb, '/faults', { count: 1, path: 'cpro' })).status, 400);
		await admin(sb, '/faults', { count: 5, status: 500 });
		const r = await fetch(`${sb.adminUrl}/faults`, { method: 'DELETE' });
		assert.equal(r.status, 200);
		assert.deepEqual((await admin(sb, '/faults')).body.faults, []);
	});

	it('logs API and token requests (not admin ones) with parsed bodies, statuses and faults', async () => {
		await fetch(`${sb.adminUrl}/requests`, { method: 'DELETE' });
		await (await search({ structure: { identifiantStructure: '00000000012887' } })).arrayBuffer();
		await admin(sb, '/faults', { path: RECHERCHER, count: 1, status: 502 });
		await (await search()).arrayBuffer();
		await getToken(sb);
		const { body } = await admin(sb, '/requests');
		const list = body.requests;
		assert.equal(list.length, 3);
		assert.deepEqual(
			list.map((/** @type {any} */ r) => r.status),
			[200, 502, 200],
		);
		assert.deepEqual(list[0].body, { structure: { identifiantStructure: '00000000012887' } });
		assert.equal(list[0].method, 'POST');
		assert.equal(list[0].path, RECHERCHER);
		assert.equal(typeof list[0].headers['cpro-account'], 'string');
		assert.ok(list[0].bodyBytes > 0);
		assert.ok(list[0].seq < list[1].seq);
		assert.ok(!Number.isNaN(Date.parse(list[0].at)));
		assert.equal(list[1].fault, 'reply');
		assert.equal(list[2].path, '/api/oauth/token');
		assert.equal(list[2].body.grant_type, 'client_credentials');
		// Filter by path prefix, then clear.
		assert.equal((await admin(sb, '/requests?path=/api/')).body.requests.length, 1);
		await fetch(`${sb.adminUrl}/requests`, { method: 'DELETE' });
		assert.deepEqual((await admin(sb, '/requests')).body.requests, []);
	});

	it('reset gives a fresh seed in the same state object and forgets tokens, faults and the log', async () => {
		const state = sb.state;
		state.structures.pop();
		await admin(sb, '/faults', { count: 3, status: 500, path: '/cpro/factures' });
		await (await search()).arrayBuffer();
		const r = await admin(sb, '/reset', {});
		assert.equal(r.status, 200);
		assert.equal(sb.state, state);
		assert.equal(state.structures.length, createState().structures.length);
		assert.deepEqual(state.faults, []);
		assert.deepEqual(state.requests, []);
		const res = await search();
		assert.equal(res.status, 401);
		await res.arrayBuffer();
	});

	it('moves the clock and reports it', async () => {
		const before = Date.parse((await admin(sb, '/clock')).body.now);
		const r = await admin(sb, '/clock', { advanceSeconds: 86400 });
		assert.equal(r.body.offsetSeconds, 86400);
		assert.ok(Date.parse(r.body.now) - before >= 86400_000);
		assert.ok(Math.abs(sb.state.clock.now().getTime() - Date.now() - 86400_000) < 1000);
		assert.equal((await admin(sb, '/clock', { advanceSeconds: 'x' })).status, 400);
	});

	it('adds configured latency to API and token requests', async () => {
		const r = await admin(sb, '/config', { latencyMs: 150, fluxPollsToFinal: 3 });
		assert.equal(r.body.config.latencyMs, 150);
		assert.equal(r.body.config.fluxPollsToFinal, 3);
		let t0 = Date.now();
		await (await search()).arrayBuffer();
		assert.ok(Date.now() - t0 >= 140);
		t0 = Date.now();
		await getToken(sb);
		assert.ok(Date.now() - t0 >= 140);
		assert.equal((await admin(sb, '/config', { latencyMs: -1 })).status, 400);
		await admin(sb, '/config', { latencyMs: 0 });
	});

	it('summarises the state and lists the admin routes; unknown admin routes are 404', async () => {
		const r = await admin(sb, '/state');
		assert.equal(r.status, 200);
		assert.ok(r.body.counts.structures >= 33);
		assert.equal(typeof r.body.config.fluxPollsToFinal, 'number');
		const index = await admin(sb, '/');
		assert.ok(index.body.admin.includes('POST /__admin/faults'));
		assert.ok(index.body.routes.includes('POST /cpro/structures/v1/rechercher'));
		assert.equal((await admin(sb, '/nothing')).status, 404);
	});
});

describe('paginate helper', () => {
	const list = Array.from({ length: 25 }, (_, i) => ({ n: i + 1 }));
	it('defaults to page 1 of 10 and reports the four keys', () => {
		const { items, parametresRetour } = paginate(list, undefined);
		assert.equal(items.length, 10);
		assert.deepEqual(parametresRetour, {
			pageCourante: 1,
			pages: 3,
			nbResultatsParPage: 10,
			total: 25,
		});
		assert.deepEqual(
			paginate(list, { pageResultatDemandee: null, nbResultatsParPage: null }).parametresRetour
				.nbResultatsParPage,
			10,
		);
	});
	it('pages, sorts and caps', () => {
		const p3 = paginate(list, { pageResultatDemandee: 3, nbResultatsParPage: 10 });
		assert.deepEqual(
			p3.items.map((x) => x.n),
			[21, 22, 23, 24, 25],
		);
		const sorted = paginate(
			list,
			{ triColonne: 'N', nbResultatsParPage: 3 },
			{ sort: { N: (x) => x.n } },
		);
		assert.deepEqual(
			sorted.items.map((x) => x.n),
			[25, 24, 23],
		); // Descendant by default
		const asc = paginate(
			list,
			{ triColonne: 'N', triSens: 'Ascendant', nbResultatsParPage: 3 },
			{ sort: { N: (x) => x.n } },
		);
		assert.deepEqual(
			asc.items.map((x) => x.n),
			[1, 2, 3],
		);
		assert.equal(paginate(list, { nbResultatsMaximum: 4 }).parametresRetour.total, 4);
		assert.equal(paginate(list, { nbResultatsParPage: 10000 }).items.length, 25);
	});
	it('throws a 400 ReplyError for invalid blocks', () => {
		for (const block of [
			{ nbResultatsParPage: 10001 },
			{ nbResultatsParPage: 0 },
			{ pageResultatDemandee: 0 },
			{ triSens: 'Ascendant ' },
			{ triColonne: 'Nope' },
		]) {
			assert.throws(
				() => paginate(list, block, { sort: { N: (x) => x.n } }),
				(err) =>
					err instanceof ReplyError &&
					err.reply.status === 400 &&
					err.reply.body.codeRetour === 20097,
			);
		}
	});
});
