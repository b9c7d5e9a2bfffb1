import { ChorusProApi } from '../credentials/ChorusProApi.credentials';
import { testCredential } from './engine/credential-test';
import { TestInstance } from './engine/run';
import {
	injectFault,
	loggedRequests,
	resetSandbox,
	sandbox,
	sandboxCredential,
} from './support/sandbox';
import { expectNoSecretIn } from './support/secrets';

const getMyStructures = { resource: 'structure', operation: 'getMyStructures', role: 'any' };
const credentialType = new ChorusProApi();

describe('credential test button (both layers)', () => {
	beforeEach(resetSandbox);

	it('succeeds with the sandbox credential and fetches a fresh token', async () => {
		const n8n = new TestInstance(sandboxCredential());
		const result = await testCredential(n8n, credentialType, {
			...sandboxCredential(),
			accessToken: 'stale',
		});
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		const log = await loggedRequests();
		expect(log.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
			'POST /api/oauth/token 200',
			'GET /cpro/transverses/v1/health-check 200',
		]);
	});

	it('says the PISTE client is wrong (invalid_client) for a wrong client secret', async () => {
		const n8n = new TestInstance(sandboxCredential());
		const result = await testCredential(
			n8n,
			credentialType,
			sandboxCredential({ clientSecret: 'wrong' }),
		);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			/PISTE refused the client ID or client secret \(invalid_client\)/,
		);
		// The qualification token endpoint is flaky: a few attempts, then the verdict.
		const tokenCalls = (await loggedRequests()).filter((r) => r.path === '/api/oauth/token');
		expect(tokenCalls.map((r) => r.status)).toEqual([400, 400, 400]);
	});

	it('says the PISTE client is wrong for an unknown client ID, without echoing the answer', async () => {
		const n8n = new TestInstance(sandboxCredential());
		const result = await testCredential(
			n8n,
			credentialType,
			sandboxCredential({ clientId: 'unknown-client' }),
		);
		expect(result.message).toMatch(
			/^PISTE refused the client ID or client secret \(invalid_client\)/,
		);
		expect(result.message).not.toMatch(/Bad client credentials/);
	});

	it('says the technical account is refused for a wrong technical password', async () => {
		const n8n = new TestInstance(sandboxCredential());
		const result = await testCredential(
			n8n,
			credentialType,
			sandboxCredential({ technicalPassword: 'wrong' }),
		);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			/PISTE accepted the client ID and secret, but Chorus Pro refused the technical account/,
		);
	});

	it('says which API is not subscribed for a 403', async () => {
		const n8n = new TestInstance(sandboxCredential());
		await injectFault({ path: '/cpro/transverses/v1/health-check', count: 2, status: 403 });
		const result = await testCredential(n8n, credentialType, sandboxCredential());
		expect(result.message).toMatch(/not subscribed to the Chorus Pro "Transverses" API/);
	});

	it('reports an unreachable sandbox by its network code', async () => {
		const n8n = new TestInstance(sandboxCredential());
		const result = await testCredential(
			n8n,
			credentialType,
			sandboxCredential({ tokenUrl: 'http://127.0.0.1:9/api/oauth/token' }),
		);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/Could not reach the PISTE token endpoint/);
	});
});

describe('errors of a node run are distinct and human', () => {
	beforeEach(resetSandbox);

	async function runWith(overrides: Record<string, string>) {
		const n8n = new TestInstance(sandboxCredential(overrides));
		const result = await n8n.runChorusPro(getMyStructures);
		await expectNoSecretIn(result.error);
		return result.error;
	}

	it('wrong client secret', async () => {
		const error = await runWith({ clientSecret: 'wrong-secret' });
		expect(error?.message).toMatch(
			/^PISTE refused the client ID or client secret \(invalid_client\)/,
		);
	});

	it('wrong technical password', async () => {
		const error = await runWith({ technicalPassword: 'wrong-password' });
		expect(error?.message).toBe(
			'Chorus Pro refused the technical account: login or password incorrects',
		);
		expect(error?.description).toMatch(/424 days/);
	});

	it('API group not subscribed on the PISTE application', async () => {
		const n8n = new TestInstance(sandboxCredential({ clientId: 'sandbox-client-no-factures' }));
		const { error } = await n8n.runChorusPro(getMyStructures);
		// Utilisateurs is subscribed for that client: use a fault to show a 403 naming the group.
		expect(error).toBeUndefined();
		await injectFault({ path: '/cpro/utilisateurs', count: 1, status: 403 });
		const second = await n8n.runChorusPro(getMyStructures);
		expect(second.error?.message).toBe(
			'The PISTE application is not allowed to call the Chorus Pro "Utilisateurs" API',
		);
		expect(second.error?.description).toMatch(/attach the "Utilisateurs" API/);
	});

	it('sandbox outage (connection refused) after retries', async () => {
		const error = await runWith({ apiBaseUrl: 'http://127.0.0.1:9', tokenUrl: sandbox.tokenUrl });
		expect(error?.message).toBe('Chorus Pro could not be reached: connection refused');
		expect(error?.description).toMatch(
			/^Network error ECONNREFUSED\. Check the environment or the API base URL/,
		);
	}, 20_000);

	it('sandbox outage (503) after retries', async () => {
		await injectFault({ path: '/cpro/', count: 4, status: 503, headers: { 'Retry-After': '0' } });
		const error = await runWith({});
		expect(error?.message).toBe('Chorus Pro is unavailable (HTTP 503)');
		const calls = (await loggedRequests()).filter((r) => r.path.startsWith('/cpro/'));
		expect(calls).toHaveLength(4);
	});
});
