/**
 * The two 401s of PISTE, and the token's lifetime, through n8n's engine:
 * - the gateway's 401 (`WWW-Authenticate: Bearer error="invalid_token"`) means the token is
 *   expired or unknown: one new token, the request sent once more (the gateway refused it before
 *   forwarding, so even a deposit is safe to send again);
 * - Chorus Pro's 401 (`error="Unauthorized"`, "login or password incorrects") means the technical
 *   account is refused: the item fails at once, no new token, nothing sent again;
 * - a token near its expiry (saved with the token in the credential) is renewed before the call.
 */
import type { IDataObject } from 'n8n-workflow';

import { CREDENTIAL_ID, TestInstance } from './engine/run';
import { depositFile, ublItem } from './support/invoices';
import {
	admin,
	clearLog,
	injectFault,
	loggedRequests,
	resetSandbox,
	sandbox,
	sandboxCredential,
} from './support/sandbox';
import { expectNoSecretIn } from './support/secrets';
import type { LoggedRequest } from './support/sandbox';

const WWW_AUTH_INVALID_TOKEN =
	'Bearer realm="PISTE",error="invalid_token",error_description="The access token is invalid or has expired"';
const ISSUER_PATH = '/api/oauth/token';
const DEPOSIT_PATH = '/cpro/factures/v1/deposer/flux';
const MY_STRUCTURES_PATH = '/cpro/utilisateurs/v1/monCompte/recuperer/rattachements';

const getMyStructures = { resource: 'structure', operation: 'getMyStructures', role: 'any' };
const deposit = depositFile();

const paths = (log: LoggedRequest[]) => log.map((request) => `${request.path} ${request.status}`);
const count = (log: LoggedRequest[], path: string) =>
	log.filter((request) => request.path === path).length;

/** As if `seconds` had passed: on the gateway's clock and for the expiry saved with the token. */
async function letTimePass(n8n: TestInstance, seconds: number) {
	await admin('/clock', { advanceSeconds: seconds });
	const stored = n8n.credentials.get(CREDENTIAL_ID) as IDataObject;
	expect(typeof stored.expiresAt).toBe('string');
	const expiresAt = Date.parse(String(stored.expiresAt)) - seconds * 1000;
	stored.expiresAt = new Date(expiresAt).toISOString();
}

describe('a refused technical account fails at once', () => {
	beforeEach(resetSandbox);

	it('deposits: the first file is refused once, the others are not sent, and each item says why', async () => {
		const credential = sandboxCredential({ technicalPassword: 'Expired-Passw0rd!' });
		const n8n = new TestInstance(credential);
		const result = await n8n.runChorusPro(deposit, {
			items: [ublItem('AUTH'), ublItem('AUTH'), ublItem('AUTH')],
			continueOnFail: true,
		});
		expect(result.items.map((item) => item.json.error)).toEqual([
			'Chorus Pro refused the technical account: login or password incorrects',
			'Chorus Pro refused the technical account: login or password incorrects',
			'Chorus Pro refused the technical account: login or password incorrects',
		]);
		expect(result.items[0].json).toMatchObject({
			httpStatus: 401,
			description: expect.stringMatching(/424 days/),
		});
		const log = await loggedRequests();
		// The account is refused: the other files would be refused the same way, so they stay here.
		expect(paths(log)).toEqual([`${ISSUER_PATH} 200`, `${DEPOSIT_PATH} 401`]);
		expect(n8n.credentials.preAuthentications).toBe(1);
		await expectNoSecretIn(result.run.data.resultData, credential);
	});

	it('reads: one request, no new token', async () => {
		const credential = sandboxCredential({ technicalPassword: 'Expired-Passw0rd!' });
		const n8n = new TestInstance(credential);
		const result = await n8n.runChorusPro(getMyStructures);
		expect(result.error?.message).toBe(
			'Chorus Pro refused the technical account: login or password incorrects',
		);
		expect(paths(await loggedRequests())).toEqual([
			`${ISSUER_PATH} 200`,
			`${MY_STRUCTURES_PATH} 401`,
		]);
		await expectNoSecretIn(result.run.data.resultData, credential);
	});

	it('a new password is used at once, with the token already saved', async () => {
		const n8n = new TestInstance(sandboxCredential({ technicalPassword: 'Expired-Passw0rd!' }));
		await n8n.runChorusPro(getMyStructures);
		const saved = n8n.credentials.get(CREDENTIAL_ID) as IDataObject;
		n8n.setCredential({ ...saved, technicalPassword: sandbox.credentials.technicalPassword });
		await clearLog();
		const { error } = await n8n.runChorusPro(getMyStructures);
		expect(error).toBeUndefined();
		expect(paths(await loggedRequests())).toEqual([`${MY_STRUCTURES_PATH} 200`]);
	});
});

describe("the gateway's 401 (invalid_token): one new token, the request sent once more", () => {
	beforeEach(resetSandbox);

	it('during a deposit: the refused file is sent again once and taken once', async () => {
		const credential = sandboxCredential();
		const n8n = new TestInstance(credential);
		await injectFault({
			path: DEPOSIT_PATH,
			count: 1,
			status: 401,
			headers: { 'WWW-Authenticate': WWW_AUTH_INVALID_TOKEN },
		});
		const result = await n8n.runChorusPro(deposit, { items: [ublItem('AUTH')] });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.numeroFluxDepot).toEqual(expect.any(String));
		const log = await loggedRequests();
		expect(paths(log)).toEqual([
			`${ISSUER_PATH} 200`,
			`${DEPOSIT_PATH} 401`,
			`${ISSUER_PATH} 200`,
			`${DEPOSIT_PATH} 200`,
		]);
		// The second deposit carried the new token.
		const deposits = log.filter((request) => request.path === DEPOSIT_PATH);
		expect(deposits[1].headers.authorization).not.toBe(deposits[0].headers.authorization);
		const flux = await admin<{ flux: unknown[] }>('/flux');
		expect(flux.flux).toHaveLength(1);
		await expectNoSecretIn(result.run.data.resultData, credential);
	});

	it('when the new token is refused too, the item fails naming the token, after one new token', async () => {
		const credential = sandboxCredential();
		const n8n = new TestInstance(credential);
		await injectFault({
			path: DEPOSIT_PATH,
			count: 3,
			status: 401,
			headers: { 'WWW-Authenticate': WWW_AUTH_INVALID_TOKEN },
		});
		const result = await n8n.runChorusPro(deposit, { items: [ublItem('AUTH')] });
		expect(result.error?.message).toBe(
			'PISTE refused the access token: The access token is invalid or has expired',
		);
		const log = await loggedRequests();
		expect(count(log, ISSUER_PATH)).toBe(2);
		expect(count(log, DEPOSIT_PATH)).toBe(2);
		await expectNoSecretIn(result.run.data.resultData, credential);
	});
});

describe('the token is renewed before it expires', () => {
	beforeEach(resetSandbox);

	it('saves the expiry with the token', async () => {
		const n8n = new TestInstance(sandboxCredential());
		await n8n.runChorusPro(getMyStructures);
		const stored = n8n.credentials.get(CREDENTIAL_ID) as IDataObject;
		expect(stored.accessToken).toEqual(expect.any(String));
		expect(Number.isNaN(Date.parse(String(stored.expiresAt)))).toBe(false);
	});

	it('an hour later the expired token is replaced before the deposit, which is sent once', async () => {
		const n8n = new TestInstance(sandboxCredential());
		await n8n.runChorusPro(getMyStructures);
		await letTimePass(n8n, 3601);
		await clearLog();
		const { error } = await n8n.runChorusPro(deposit, { items: [ublItem('AUTH')] });
		expect(error).toBeUndefined();
		expect(paths(await loggedRequests())).toEqual([`${ISSUER_PATH} 200`, `${DEPOSIT_PATH} 200`]);
	});

	it('a token with less than five minutes left is replaced before the call', async () => {
		const n8n = new TestInstance(sandboxCredential());
		await n8n.runChorusPro(getMyStructures);
		await letTimePass(n8n, 3600 - 100);
		await clearLog();
		const { error } = await n8n.runChorusPro(getMyStructures, {
			items: [{ json: {} }, { json: {} }],
		});
		expect(error).toBeUndefined();
		// Renewed once: the second item uses the new token saved by the first.
		expect(paths(await loggedRequests())).toEqual([
			`${ISSUER_PATH} 200`,
			`${MY_STRUCTURES_PATH} 200`,
			`${MY_STRUCTURES_PATH} 200`,
		]);
		expect(n8n.credentials.preAuthentications).toBe(2);
	});

	it('a token saved without its expiry (earlier versions) is renewed once, then reused', async () => {
		const n8n = new TestInstance(sandboxCredential());
		await n8n.runChorusPro(getMyStructures);
		const stored = n8n.credentials.get(CREDENTIAL_ID) as IDataObject;
		delete stored.expiresAt;
		await clearLog();
		await n8n.runChorusPro(getMyStructures);
		await n8n.runChorusPro(getMyStructures);
		expect(paths(await loggedRequests())).toEqual([
			`${ISSUER_PATH} 200`,
			`${MY_STRUCTURES_PATH} 200`,
			`${MY_STRUCTURES_PATH} 200`,
		]);
	});
});

describe('the trigger reads the stored token at every poll', () => {
	beforeEach(resetSandbox);

	it('a token renewed by another execution since the last poll is used, not renewed again', async () => {
		const n8n = new TestInstance(sandboxCredential());
		// One context for every poll, as n8n keeps for an activation (and main keeps in queue mode).
		const activation = { staticData: {}, keepContext: true };
		const statusChanged = { event: 'invoiceStatusChanged', statuses: [], options: {} };
		expect((await n8n.poll(statusChanged, activation)).error).toBeUndefined();
		const firstToken = n8n.credentials.get(CREDENTIAL_ID)?.accessToken;

		// A workflow run (a worker, in queue mode) meets the expired token and saves a new one.
		await admin('/tokens/expire', {});
		expect((await n8n.runChorusPro(getMyStructures)).error).toBeUndefined();
		const renewed = n8n.credentials.get(CREDENTIAL_ID)?.accessToken;
		expect(renewed).not.toBe(firstToken);
		await clearLog();

		expect((await n8n.poll(statusChanged, activation)).error).toBeUndefined();
		const log = await loggedRequests();
		expect(count(log, ISSUER_PATH)).toBe(0);
		expect(log.map((request) => request.status)).not.toContain(401);
		expect(log.map((request) => request.headers.authorization)).toContain(`Bearer ${renewed}`);
	});
});
