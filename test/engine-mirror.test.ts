import { CREDENTIAL_ID, TestInstance } from './engine/run';
import { MIRRORED_N8N_CORE } from './engine/credentials-helper';
import {
	admin,
	clearLog,
	loggedRequests,
	resetSandbox,
	sandboxCredential,
} from './support/sandbox';

/**
 * test/engine/credentials-helper.ts stands in for the n8n server's credential store and answers
 * n8n-core's calls as the server does. These tests fail when n8n-core changes what it asks of it,
 * so that the helper is read again against the new release before any other test is trusted.
 */
describe('the engine harness mirrors the n8n it was written against', () => {
	beforeEach(resetSandbox);

	it(`n8n-core is ${MIRRORED_N8N_CORE}, the release the credentials helper mirrors`, () => {
		const installed = JSON.parse(repositoryText('node_modules/n8n-core/package.json')) as {
			version: string;
		};
		expect(installed.version).toBe(MIRRORED_N8N_CORE);
	});

	it("n8n-core asks for preAuthentication before each request, and again with 'expired' after a 401, then sends once more", async () => {
		const n8n = new TestInstance(sandboxCredential());
		const context = n8n.editorContext();
		const healthCheck = { method: 'GET' as const, url: '/cpro/transverses/v1/health-check' };

		await context.helpers.httpRequestWithAuthentication.call(context, 'chorusProApi', healthCheck);
		// No token yet: the empty expirable field makes the server run the credential's
		// preAuthentication, and the token is saved in the store.
		expect(n8n.credentials.preAuthenticationCalls).toEqual([false]);
		expect(n8n.credentials.preAuthentications).toBe(1);
		const first = n8n.credentials.get(CREDENTIAL_ID)?.accessToken;
		expect(first).toEqual(expect.any(String));

		await admin('/tokens/expire', {});
		await clearLog();
		await context.helpers.httpRequestWithAuthentication.call(context, 'chorusProApi', healthCheck);
		expect(n8n.credentials.preAuthenticationCalls).toEqual([false, false, true]);
		expect(n8n.credentials.preAuthentications).toBe(2);
		expect(n8n.credentials.get(CREDENTIAL_ID)?.accessToken).not.toBe(first);
		const log = await loggedRequests();
		expect(log.map((request) => `${request.path} ${request.status}`)).toEqual([
			'/cpro/transverses/v1/health-check 401',
			'/api/oauth/token 200',
			'/cpro/transverses/v1/health-check 200',
		]);
	});
});
