/**
 * A Custom environment sends the client secret, the token and the technical account to the URLs
 * it names: https only, except on this machine (loopback), and an empty or malformed URL is
 * refused by name before anything is sent — in the credential test and in a node run.
 */
import { ChorusProApi, chorusProUrlProblem } from '../credentials/ChorusProApi.credentials';
import { testCredential } from './engine/credential-test';
import { TestInstance } from './engine/run';
import { loggedRequests, resetSandbox, sandbox, sandboxCredential } from './support/sandbox';

const credentialType = new ChorusProApi();
const getMyStructures = { resource: 'structure', operation: 'getMyStructures', role: 'any' };
const sandboxPort = new URL(sandbox.apiBaseUrl).port;

describe('the credential test refuses unsafe or malformed URLs by name, sending nothing', () => {
	beforeEach(resetSandbox);

	async function testWith(overrides: Record<string, string>) {
		const n8n = new TestInstance(sandboxCredential());
		const result = await testCredential(n8n, credentialType, sandboxCredential(overrides));
		expect(await loggedRequests()).toEqual([]);
		return result;
	}

	it('a plain http:// token URL on another machine', async () => {
		const result = await testWith({ tokenUrl: 'http://oauth.piste.invalid/api/oauth/token' });
		expect(result).toEqual({
			status: 'Error',
			message: expect.stringMatching(/^Token URL must start with https:\/\//),
		});
		expect(result.message).toMatch(/client secret/);
	});

	it('a plain http:// API base URL on another machine', async () => {
		const result = await testWith({ apiBaseUrl: 'http://api.piste.invalid' });
		expect(result.message).toMatch(/^API Base URL must start with https:\/\//);
		expect(result.message).toMatch(/technical account/);
	});

	it('an empty API base URL', async () => {
		const result = await testWith({ apiBaseUrl: '  ' });
		expect(result.message).toMatch(/^API Base URL is empty/);
	});

	it('a URL without its scheme, or with another scheme', async () => {
		expect((await testWith({ apiBaseUrl: 'sandbox-api.piste.gouv.fr' })).message).toMatch(
			/^API Base URL is not a valid URL/,
		);
		expect((await testWith({ tokenUrl: 'ftp://127.0.0.1/token' })).message).toMatch(
			/^Token URL must start with https:\/\//,
		);
		expect((await testWith({ tokenUrl: 'https://' })).message).toMatch(
			/^Token URL is not a valid URL/,
		);
	});
});

describe('a node run refuses them before any request', () => {
	beforeEach(resetSandbox);

	it('http:// API base URL on another machine: no token asked, nothing sent', async () => {
		const n8n = new TestInstance(sandboxCredential({ apiBaseUrl: 'http://api.piste.invalid' }));
		const { error } = await n8n.runChorusPro(getMyStructures);
		expect(error?.message).toMatch(/^API Base URL must start with https:\/\//);
		expect(error?.description).toMatch(/Chorus Pro credential/);
		expect(await loggedRequests()).toEqual([]);
	});

	it('http:// token URL on another machine', async () => {
		const n8n = new TestInstance(
			sandboxCredential({ tokenUrl: 'http://oauth.piste.invalid/api/oauth/token' }),
		);
		const { error } = await n8n.runChorusPro(getMyStructures);
		expect(error?.message).toMatch(/^Token URL must start with https:\/\//);
		expect(await loggedRequests()).toEqual([]);
	});

	it('an empty token URL, even with a token already saved', async () => {
		const n8n = new TestInstance(sandboxCredential());
		expect((await n8n.runChorusPro(getMyStructures)).error).toBeUndefined();
		const saved = n8n.credentials.get('chorus-test');
		n8n.setCredential({ ...saved, tokenUrl: '' });
		const { error } = await n8n.runChorusPro(getMyStructures);
		expect(error?.message).toMatch(/^Token URL is empty/);
	});
});

describe('plain http:// is accepted on this machine only', () => {
	beforeEach(resetSandbox);

	it('127.0.0.0/8, localhost and [::1] pass the rule', async () => {
		// The sandbox listens on 127.0.0.1 only: the other addresses pass the rule, then find no server.
		const verdicts: Record<string, string> = {};
		for (const host of ['127.0.0.1', 'localhost', 'LOCALHOST', '127.0.0.2']) {
			const n8n = new TestInstance(sandboxCredential());
			const result = await testCredential(
				n8n,
				credentialType,
				sandboxCredential({ apiBaseUrl: `http://${host}:${sandboxPort}` }),
			);
			verdicts[host] = result.status === 'OK' ? 'OK' : result.message;
		}
		// OK, or a network error code (no server there): never the https rule.
		expect(verdicts).toEqual({
			'127.0.0.1': 'OK',
			localhost: expect.stringMatching(/^(OK|E[A-Z]+)$/),
			LOCALHOST: expect.stringMatching(/^(OK|E[A-Z]+)$/),
			'127.0.0.2': expect.stringMatching(/^E[A-Z]+$/),
		});
		// IPv6 loopback, and the other spellings the URL parser brings back to these.
		for (const host of ['[::1]', '[0:0:0:0:0:0:0:1]', '127.1', '127.255.255.254']) {
			expect(chorusProUrlProblem(sandboxCredential({ apiBaseUrl: `http://${host}:8790` }))).toBe(
				undefined,
			);
		}
	});

	it('look-alike hosts do not: a node run refuses them before any request', async () => {
		for (const host of ['127.0.0.1.nip.io', 'localhost.example.com', '0.0.0.0', '[::2]']) {
			const n8n = new TestInstance(sandboxCredential({ apiBaseUrl: `http://${host}` }));
			const { error } = await n8n.runChorusPro(getMyStructures);
			expect(error?.message).toMatch(/^API Base URL must start with https:\/\//);
		}
		expect(await loggedRequests()).toEqual([]);
	});
});
