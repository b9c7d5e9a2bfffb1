import {
	sandbox,
	sandboxCredential,
	loggedRequests,
	clearLog,
	injectFault,
	resetSandbox,
} from './support/sandbox';
import { TestInstance } from './engine/run';

const getMyStructures = { resource: 'structure', operation: 'getMyStructures', role: 'any' };

describe('Chorus Pro API credential through the engine', () => {
	beforeEach(async () => {
		await resetSandbox();
	});

	it('gets one token, sends it with cpro-account and JSON headers, and lists my structures', async () => {
		const n8n = new TestInstance(sandboxCredential());
		const { items, error } = await n8n.runChorusPro(getMyStructures);
		expect(error).toBeUndefined();
		expect(items.length).toBeGreaterThan(0);
		expect(items[0].json).toMatchObject({
			idStructure: 26300989,
			identifiantStructure: '73442027438548',
		});
		expect(items[0].pairedItem).toEqual({ item: 0 });

		const log = await loggedRequests();
		expect(log.map((r) => r.path)).toEqual([
			'/api/oauth/token',
			'/cpro/utilisateurs/v1/monCompte/recuperer/rattachements',
		]);
		expect(log[0].body).toEqual({
			grant_type: 'client_credentials',
			client_id: sandbox.credentials.clientId,
			client_secret: sandbox.credentials.clientSecret,
			scope: 'openid',
		});
		const call = log[1];
		expect(call.headers.authorization).toMatch(/^Bearer \S{20,}$/);
		expect(call.headers['cpro-account']).toBe(
			Buffer.from(
				`${sandbox.credentials.technicalLogin}:${sandbox.credentials.technicalPassword}`,
				'utf8',
			).toString('base64'),
		);
		expect(call.headers['content-type']).toBe('application/json;charset=utf-8');
		expect(call.body).toEqual({
			parametresRecherche: { pageResultatDemandee: 1, nbResultatsParPage: 1000 },
		});
	});

	it('re-uses the saved token across executions and items', async () => {
		const n8n = new TestInstance(sandboxCredential());
		await n8n.runChorusPro(getMyStructures, { items: [{ json: {} }, { json: {} }, { json: {} }] });
		await n8n.runChorusPro(getMyStructures);
		const log = await loggedRequests();
		expect(log.filter((r) => r.path === '/api/oauth/token')).toHaveLength(1);
		expect(log.filter((r) => r.path.startsWith('/cpro/'))).toHaveLength(4);
		expect(n8n.credentials.preAuthentications).toBe(1);
	});

	it('fetches a new token once when the saved one has expired (401), then goes on', async () => {
		const n8n = new TestInstance(sandboxCredential());
		await n8n.runChorusPro(getMyStructures);
		await resetSandboxTokens();
		await clearLog();
		const { items, error } = await n8n.runChorusPro(getMyStructures);
		expect(error).toBeUndefined();
		expect(items.length).toBeGreaterThan(0);
		const log = await loggedRequests();
		expect(log.map((r) => `${r.path} ${r.status}`)).toEqual([
			'/cpro/utilisateurs/v1/monCompte/recuperer/rattachements 401',
			'/api/oauth/token 200',
			'/cpro/utilisateurs/v1/monCompte/recuperer/rattachements 200',
		]);
	});

	it('sends the cpro-account of a login and password with accents as UTF-8 base64', async () => {
		const n8n = new TestInstance(sandboxCredential({ technicalPassword: 'Mot-de-passe-été' }));
		await n8n.runChorusPro(getMyStructures);
		const call = (await loggedRequests()).find((r) => r.path.startsWith('/cpro/'));
		expect(Buffer.from(call?.headers['cpro-account'] ?? '', 'base64').toString('utf8')).toBe(
			`${sandbox.credentials.technicalLogin}:Mot-de-passe-été`,
		);
	});

	it('retries a flaky sandbox token endpoint (400 invalid_client) a bounded number of times', async () => {
		await injectFault({
			path: '/api/oauth/token',
			count: 1,
			status: 400,
			body: { error: 'invalid_client' },
		});
		const n8n = new TestInstance(sandboxCredential());
		const { error } = await n8n.runChorusPro(getMyStructures);
		expect(error).toBeUndefined();
		const tokenCalls = (await loggedRequests()).filter((r) => r.path === '/api/oauth/token');
		expect(tokenCalls.map((r) => r.status)).toEqual([400, 200]);
	});
});

async function resetSandboxTokens() {
	const response = await fetch(`${sandbox.adminUrl}/tokens/expire`, { method: 'POST' });
	expect(response.ok).toBe(true);
}

describe('technical password renewal reminder', () => {
	const inDays = (days: number) => new Date(Date.now() + days * 24 * 3600_000).toISOString();

	async function hintsFor(renewalDate: string) {
		const n8n = new TestInstance(sandboxCredential({ renewalDate }));
		const { run, error } = await n8n.runChorusPro(getMyStructures);
		expect(error).toBeUndefined();
		return run.data.resultData.runData['Chorus Pro'][0].hints ?? [];
	}

	it('warns in the output when the password expires within 30 days', async () => {
		const hints = await hintsFor(inDays(10));
		expect(hints).toEqual([
			expect.objectContaining({
				type: 'warning',
				message: expect.stringMatching(/expires on \d{4}-\d{2}-\d{2} \(in 10 days\)/),
			}),
		]);
	});

	it('says when it has expired, and says nothing when it is far away', async () => {
		expect(await hintsFor(inDays(-2))).toEqual([
			expect.objectContaining({ type: 'danger', message: expect.stringMatching(/expired on/) }),
		]);
		expect(await hintsFor(inDays(200))).toEqual([]);
	});
});
