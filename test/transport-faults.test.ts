/**
 * The transport's fault suite: every fault the sandbox can inject, through n8n's engine. For each:
 * what the user sees, how many requests and tokens it cost, that no write went out twice, and
 * that no secret (client secret, technical password, cpro-account, tokens) is in the outputs or
 * errors. Waits are kept short with `Retry-After: 0`; timeouts use the transport's own timeout
 * option, on a Chorus Pro node context built by n8n-core.
 */
import { ExecuteContext, ExecutionLifecycleHooks } from 'n8n-core';
import type { IDataObject, INode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import type { RequestOptions } from '../nodes/ChorusPro/transport/request';
import { retryDelay } from '../nodes/ChorusPro/transport/retry';
import { chorusRequest } from '../nodes/ChorusPro/transport/request';
import type { ChorusService } from '../nodes/ChorusPro/transport/services';
import { SERVICES } from '../nodes/ChorusPro/transport/services';
import {
	additionalDataFor,
	CHORUS_PRO_TYPE,
	CREDENTIAL_ID,
	NodeTypes,
	TestInstance,
} from './engine/run';
import {
	admin,
	clearLog,
	injectFault,
	loggedRequests,
	resetSandbox,
	sandboxCredential,
} from './support/sandbox';
import { expectNoSecretIn } from './support/secrets';
import { depositFile, ublItem } from './support/invoices';

const ISSUER = '/api/oauth/token';
const DEPOSIT = '/cpro/factures/v1/deposer/flux';
const MY_STRUCTURES = '/cpro/utilisateurs/v1/monCompte/recuperer/rattachements';
const SEARCH_STRUCTURES = '/cpro/structures/v1/rechercher';
const WWW_AUTH_INVALID_TOKEN =
	'Bearer realm="PISTE",error="invalid_token",error_description="The access token is invalid or has expired"';

const read = { resource: 'structure', operation: 'getMyStructures', role: 'any' };
const deposit = depositFile();

/** Several faults at once, applied in order to the requests whose path they match. */
async function injectFaults(faults: IDataObject[]) {
	await admin('/faults', faults);
}

/** What the faults cost: the token requests and the Chorus calls, with their statuses. */
async function cost() {
	const log = await loggedRequests();
	const of = (path: string) =>
		log.filter((request) => request.path === path).map((request) => request.status);
	return { log, tokens: of(ISSUER), of };
}

async function fluxCount() {
	return (await admin<{ flux: unknown[] }>('/flux')).flux.length;
}

/**
 * Calls the transport directly, on the context n8n-core gives a Chorus Pro node, for what a node
 * parameter cannot set (a short timeout).
 */
async function callTransport(
	n8n: TestInstance,
	service: ChorusService,
	body: IDataObject,
	options: RequestOptions,
): Promise<{ answer?: IDataObject; error?: Error }> {
	const node: INode = {
		id: 'chorus',
		name: 'Chorus Pro',
		type: CHORUS_PRO_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { chorusProApi: { id: CREDENTIAL_ID, name: 'Chorus Pro sandbox' } },
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new NodeTypes(),
	});
	const hooks = new ExecutionLifecycleHooks('manual', 'transport', {
		id: 'transport',
		nodes: [node],
		connections: {},
	} as never);
	const context = new ExecuteContext(
		workflow,
		node,
		additionalDataFor(n8n.credentials, hooks, 'transport'),
		'manual',
		{ resultData: { runData: {} } } as never,
		0,
		[{ json: {} }],
		{ main: [[{ json: {} }]] },
		{ node, data: { main: [[{ json: {} }]] }, source: null },
		[],
	);
	try {
		const answer = await chorusRequest.call(context, service, body, options);
		seen.push(answer);
		return { answer };
	} catch (error) {
		seen.push(error);
		return { error: error as Error };
	}
}

let n8n: TestInstance;
/** What each test's runs gave (outputs, errors): searched for secrets after the test. */
let seen: unknown[];

beforeEach(async () => {
	await resetSandbox();
	n8n = new TestInstance(sandboxCredential());
	seen = [];
});

afterEach(async () => {
	await expectNoSecretIn(seen);
});

/** Runs the Chorus Pro node through the engine, keeping what it gave for the secret check. */
async function runNode(...args: Parameters<TestInstance['runChorusPro']>) {
	const result = await n8n.runChorusPro(...args);
	seen.push(result.run.data.resultData);
	return result;
}

describe('token endpoint', () => {
	it('400 invalid_client now and then (qualification): asked again, then the run goes on', async () => {
		await injectFault({ path: ISSUER, count: 1, status: 400, body: { error: 'invalid_client' } });
		const result = await runNode(read);
		expect(result.error).toBeUndefined();
		const { tokens, of } = await cost();
		expect(tokens).toEqual([400, 200]);
		expect(of(MY_STRUCTURES)).toEqual([200]);
	});

	it('400 invalid_client every time: three tries, then the PISTE client is named', async () => {
		await injectFault({ path: ISSUER, count: 10, status: 400, body: { error: 'invalid_client' } });
		const result = await runNode(read);
		expect(result.error?.message).toMatch(
			/^PISTE refused the client ID or client secret \(invalid_client\)/,
		);
		const { tokens, of } = await cost();
		expect(tokens).toEqual([400, 400, 400]);
		expect(of(MY_STRUCTURES)).toEqual([]);
	});

	it('429 with Retry-After: asked again after the wait', async () => {
		await injectFault({ path: ISSUER, count: 1, status: 429, headers: { 'Retry-After': '0' } });
		const result = await runNode(read);
		expect(result.error).toBeUndefined();
		const { tokens, of } = await cost();
		expect(tokens).toEqual([429, 200]);
		expect(of(MY_STRUCTURES)).toEqual([200]);
	});

	it('500 then 503: asked again, a bounded number of times', async () => {
		await injectFaults([
			{ path: ISSUER, count: 1, status: 500 },
			{ path: ISSUER, count: 1, status: 503, headers: { 'Retry-After': '0' } },
		]);
		const result = await runNode(read);
		expect(result.error).toBeUndefined();
		const { tokens, of } = await cost();
		expect(tokens).toEqual([500, 503, 200]);
		expect(of(MY_STRUCTURES)).toEqual([200]);
	});

	it('503 every time: the user is told the token endpoint failed, nothing is sent', async () => {
		await injectFault({ path: ISSUER, count: 10, status: 503, headers: { 'Retry-After': '0' } });
		const result = await runNode(deposit, { items: [ublItem('FLT')] });
		expect(result.error?.message).toBe(
			'The PISTE token endpoint answered HTTP 503 without an access token: check the environment and the token URL',
		);
		const { tokens, of } = await cost();
		expect(tokens).toEqual([503, 503, 503]);
		expect(of(DEPOSIT)).toEqual([]);
	});

	it('connection cut, or an answer that is slow but in time: asked again / waited for', async () => {
		await injectFaults([
			{ path: ISSUER, count: 1, reset: true },
			{ path: ISSUER, count: 1, delayMs: 300 },
		]);
		const result = await runNode(read);
		expect(result.error).toBeUndefined();
		const { tokens, of } = await cost();
		expect(tokens).toEqual([null, 200]);
		expect(of(MY_STRUCTURES)).toEqual([200]);
	});
});

describe('401 invalid_token in the middle of a run', () => {
	it('on the second page of a search: one new token, that page asked again, the search goes on', async () => {
		await admin('/config', { pageSizeCap: 10 });
		await injectFaults([
			{ path: SEARCH_STRUCTURES, count: 1, delayMs: 0 },
			{
				path: SEARCH_STRUCTURES,
				count: 1,
				status: 401,
				headers: { 'WWW-Authenticate': WWW_AUTH_INVALID_TOKEN },
			},
		]);
		const result = await runNode({
			resource: 'structure',
			operation: 'search',
			returnAll: true,
			filters: { typeStructure: 'PUBLIQUE' },
		});
		expect(result.error).toBeUndefined();
		const ids = result.items.map((item) => item.json.idStructureCPP);
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids.length).toBeGreaterThan(20);
		const { tokens, log } = await cost();
		expect(tokens).toEqual([200, 200]);
		const pages = log
			.filter((request) => request.path === SEARCH_STRUCTURES)
			.map(
				(request) =>
					`${(request.body as { parametres: { pageResultatDemandee: number } }).parametres.pageResultatDemandee} ${request.status}`,
			);
		expect(pages.slice(0, 4)).toEqual(['1 200', '2 401', '2 200', '3 200']);
	});
});

describe('API answers 429 with Retry-After', () => {
	it('a read is asked again after the wait', async () => {
		await injectFault({
			path: MY_STRUCTURES,
			count: 1,
			status: 429,
			headers: { 'Retry-After': '0' },
		});
		const result = await runNode(read);
		expect(result.error).toBeUndefined();
		const { tokens, of } = await cost();
		expect(of(MY_STRUCTURES)).toEqual([429, 200]);
		expect(tokens).toEqual([200]);
	});

	it('a deposit is sent again (the gateway refused it before Chorus Pro) and taken once', async () => {
		await injectFault({ path: DEPOSIT, count: 1, status: 429, headers: { 'Retry-After': '0' } });
		const result = await runNode(deposit, { items: [ublItem('FLT')] });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.numeroFluxDepot).toEqual(expect.any(String));
		const { tokens, of } = await cost();
		expect(of(DEPOSIT)).toEqual([429, 200]);
		expect(tokens).toEqual([200]);
		expect(await fluxCount()).toBe(1);
	});

	it("Retry-After as an HTTP date is read against the answer's Date", async () => {
		const now = 'Wed, 25 Nov 2026 10:00:00 GMT';
		await injectFault({
			path: MY_STRUCTURES,
			count: 1,
			status: 429,
			headers: { Date: now, 'Retry-After': now },
		});
		const result = await runNode(read);
		expect(result.error).toBeUndefined();
		const { tokens, of } = await cost();
		expect(of(MY_STRUCTURES)).toEqual([429, 200]);
		expect(tokens).toEqual([200]);
	});

	it('a wait longer than the cap is not made: the user is told how long Chorus Pro asks', async () => {
		await injectFault({
			path: MY_STRUCTURES,
			count: 1,
			status: 429,
			headers: {
				Date: 'Wed, 25 Nov 2026 10:00:00 GMT',
				'Retry-After': 'Wed, 25 Nov 2026 10:10:00 GMT',
			},
		});
		const byDate = await runNode(read);
		expect(byDate.error?.message).toBe('Chorus Pro asks to slow down (HTTP 429)');
		expect(byDate.error?.description).toMatch(/asks to wait 600 s/);

		await injectFault({ path: DEPOSIT, count: 1, status: 429, headers: { 'Retry-After': '120' } });
		const bySeconds = await runNode(deposit, { items: [ublItem('FLT')] });
		expect(bySeconds.error?.message).toBe('Chorus Pro asks to slow down (HTTP 429)');
		expect(bySeconds.error?.description).toMatch(/asks to wait 120 s/);

		const { of, tokens } = await cost();
		expect(of(MY_STRUCTURES)).toEqual([429]);
		expect(of(DEPOSIT)).toEqual([429]);
		expect(tokens).toEqual([200]);
	});
});

describe('API answers 500, 502, 503, 504', () => {
	it('reads are asked again and succeed', async () => {
		const fail = (status: number) => ({
			path: MY_STRUCTURES,
			count: 1,
			status,
			headers: { 'Retry-After': '0' },
		});
		await injectFaults([fail(500), fail(502)]);
		expect((await runNode(read)).error).toBeUndefined();
		await injectFaults([fail(503), fail(504)]);
		const result = await runNode(read);
		expect(result.error).toBeUndefined();
		expect(result.items.length).toBeGreaterThan(0);
		const { of, tokens } = await cost();
		expect(of(MY_STRUCTURES)).toEqual([500, 502, 200, 503, 504, 200]);
		expect(tokens).toEqual([200]);
	});

	it('a read that keeps failing gives up after four tries', async () => {
		await injectFault({
			path: MY_STRUCTURES,
			count: 10,
			status: 500,
			headers: { 'Retry-After': '0' },
		});
		const result = await runNode(read);
		expect(result.error?.message).toBe('Chorus Pro is unavailable (HTTP 500)');
		expect(result.error?.description).toMatch(/^The platform or the PISTE gateway failed/);
		const { of, tokens } = await cost();
		expect(of(MY_STRUCTURES)).toEqual([500, 500, 500, 500]);
		expect(tokens).toEqual([200]);
	});

	it('writes are never sent again: each item says the file may have been taken', async () => {
		await injectFaults(
			[500, 502, 503, 504].map((status) => ({
				path: DEPOSIT,
				count: 1,
				status,
				headers: { 'Retry-After': '0' },
			})),
		);
		const result = await runNode(deposit, {
			items: [ublItem('FLT'), ublItem('FLT'), ublItem('FLT'), ublItem('FLT')],
			continueOnFail: true,
		});
		expect(result.items.map((item) => item.json.error)).toEqual([
			'Chorus Pro is unavailable (HTTP 500)',
			'Chorus Pro is unavailable (HTTP 502)',
			'Chorus Pro is unavailable (HTTP 503)',
			'Chorus Pro is unavailable (HTTP 504)',
		]);
		for (const item of result.items)
			expect(item.json.description).toMatch(/may have reached Chorus Pro/);
		const { of, tokens } = await cost();
		expect(of(DEPOSIT)).toEqual([500, 502, 503, 504]);
		expect(tokens).toEqual([200]);
	});
});

describe('connection reset', () => {
	it('a read is asked again', async () => {
		await injectFault({ path: MY_STRUCTURES, count: 1, reset: true });
		const result = await runNode(read);
		expect(result.error).toBeUndefined();
		const { tokens, of } = await cost();
		expect(of(MY_STRUCTURES)).toEqual([null, 200]);
		expect(tokens).toEqual([200]);
	});

	it('a deposit is not sent again, and the user is told to check before sending it', async () => {
		await injectFault({ path: DEPOSIT, count: 1, reset: true });
		const result = await runNode(deposit, { items: [ublItem('FLT')] });
		expect(result.error?.message).toBe(
			'The connection to Chorus Pro was cut before its answer (connection reset)',
		);
		expect(result.error?.description).toMatch(/may have reached Chorus Pro/);
		const { of, tokens } = await cost();
		expect(of(DEPOSIT)).toEqual([null]);
		expect(tokens).toEqual([200]);
	});
});

describe('answers slower than the timeout', () => {
	beforeEach(async () => {
		expect((await runNode(read)).error).toBeUndefined();
		await clearLog();
	});

	it('a read is asked again', async () => {
		await injectFault({ path: MY_STRUCTURES, count: 1, delayMs: 1500 });
		const { answer, error } = await callTransport(
			n8n,
			SERVICES.myAttachments,
			{ parametresRecherche: { pageResultatDemandee: 1, nbResultatsParPage: 10 } },
			{ timeout: 300 },
		);
		expect(error).toBeUndefined();
		expect(answer?.listeStructureRattachement).toEqual(expect.any(Array));
		const { of, tokens } = await cost();
		expect(of(MY_STRUCTURES)).toHaveLength(2);
		expect(tokens).toEqual([]);
	});

	it('a deposit is not sent again', async () => {
		await injectFault({ path: DEPOSIT, count: 1, delayMs: 1000 });
		const { error } = await callTransport(
			n8n,
			SERVICES.depositFlux,
			{
				fichierFlux: Buffer.from(chorusFixtures.makeUblXml({ number: 'SLOW-1' })).toString(
					'base64',
				),
				nomFichier: 'SLOW-1.xml',
				syntaxeFlux: 'IN_DP_E1_UBL_INVOICE',
				avecSignature: false,
			},
			{ timeout: 300 },
		);
		expect(error?.message).toBe('Chorus Pro did not answer in time');
		expect((error as Error & { description?: string }).description).toMatch(
			/may have reached Chorus Pro/,
		);
		const { of, tokens } = await cost();
		expect(of(DEPOSIT)).toHaveLength(1);
		expect(tokens).toEqual([]);
	});
});

describe('bodies that are not the expected JSON', () => {
	const html = '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>';

	it('HTML error page: a read is asked again, a deposit is not', async () => {
		await injectFaults([
			{
				path: MY_STRUCTURES,
				count: 1,
				status: 502,
				rawBody: html,
				headers: { 'Content-Type': 'text/html', 'Retry-After': '0' },
			},
			{
				path: MY_STRUCTURES,
				count: 1,
				status: 200,
				rawBody: html,
				headers: { 'Content-Type': 'text/html' },
			},
			{
				path: DEPOSIT,
				count: 1,
				status: 502,
				rawBody: html,
				headers: { 'Content-Type': 'text/html' },
			},
			{
				path: DEPOSIT,
				count: 1,
				status: 200,
				rawBody: html,
				headers: { 'Content-Type': 'text/html' },
			},
		]);
		expect((await runNode(read)).error).toBeUndefined();
		const result = await runNode(deposit, {
			items: [ublItem('FLT'), ublItem('FLT')],
			continueOnFail: true,
		});
		expect(result.items.map((item) => item.json.error)).toEqual([
			'Chorus Pro is unavailable (HTTP 502)',
			'Chorus Pro sent an answer that is not the expected JSON',
		]);
		const { of, tokens } = await cost();
		expect(of(MY_STRUCTURES)).toEqual([502, 200, 200]);
		expect(of(DEPOSIT)).toEqual([502, 200]);
		expect(tokens).toEqual([200]);
		expect(JSON.stringify(result.items)).not.toContain('nginx');
	});

	it('empty and truncated bodies: a read is asked again, a deposit is not', async () => {
		await injectFaults([
			{ path: MY_STRUCTURES, count: 1, status: 200, rawBody: '' },
			{
				path: MY_STRUCTURES,
				count: 1,
				status: 200,
				rawBody: '{"codeRetour":0,"listeStructureRatt',
			},
			{ path: DEPOSIT, count: 1, status: 200, rawBody: '' },
			{ path: DEPOSIT, count: 1, status: 200, rawBody: '{"codeRetour":0,"numeroFluxDepot":"CPP00' },
		]);
		expect((await runNode(read)).error).toBeUndefined();
		const result = await runNode(deposit, {
			items: [ublItem('FLT'), ublItem('FLT')],
			continueOnFail: true,
		});
		expect(result.items.map((item) => item.json.error)).toEqual([
			'Chorus Pro sent an answer that is not the expected JSON',
			'Chorus Pro sent an answer that is not the expected JSON',
		]);
		expect(result.items[0].json.description).toMatch(/may have reached Chorus Pro/);
		const { of, tokens } = await cost();
		expect(of(MY_STRUCTURES)).toEqual([200, 200, 200]);
		expect(of(DEPOSIT)).toEqual([200, 200]);
		expect(tokens).toEqual([200]);
	});
});

describe('codeRetour other than 0 inside a 200', () => {
	it('is an error with the Chorus Pro message, never asked again, read or write', async () => {
		const refusal = { codeRetour: 20099, libelle: 'Le paramètre X est obligatoire.' };
		await injectFaults([
			{ path: MY_STRUCTURES, count: 1, status: 200, body: refusal },
			{ path: DEPOSIT, count: 1, status: 200, body: refusal },
		]);
		const reading = await runNode(read);
		expect(reading.error?.message).toBe(
			'Chorus Pro refused the request: Le paramètre X est obligatoire.',
		);
		const writing = await runNode(deposit, { items: [ublItem('FLT')] });
		expect(writing.error?.message).toBe(
			'Chorus Pro refused the request: Le paramètre X est obligatoire.',
		);
		const { of, tokens } = await cost();
		expect(of(MY_STRUCTURES)).toEqual([200]);
		expect(of(DEPOSIT)).toEqual([200]);
		expect(tokens).toEqual([200]);
	});
});

describe('waits between tries', () => {
	it('grow with each try, with jitter, capped', () => {
		const low = [1, 2, 3].map((attempt) => retryDelay({ headers: {} }, attempt, () => 0));
		const high = [1, 2, 3].map((attempt) => retryDelay({ headers: {} }, attempt, () => 0.999));
		for (let i = 0; i < 3; i++) expect(low[i]).toBeLessThan(high[i]);
		expect(low[1]).toBeGreaterThan(low[0]);
		expect(high[2]).toBeGreaterThan(high[1]);
		expect(retryDelay({ headers: {} }, 30, () => 0.999)).toBeLessThanOrEqual(30_000);
	});

	it('follow Retry-After in seconds or as a date, whatever the jitter', () => {
		const date = 'Wed, 25 Nov 2026 10:00:00 GMT';
		expect(retryDelay({ headers: { 'retry-after': '3' } }, 1, () => 0.5)).toBe(3000);
		expect(
			retryDelay(
				{ headers: { date, 'retry-after': 'Wed, 25 Nov 2026 10:00:07 GMT' } },
				1,
				() => 0.5,
			),
		).toBe(7000);
		expect(retryDelay({ headers: { date, 'retry-after': date } }, 2, () => 0.5)).toBe(0);
	});
});
