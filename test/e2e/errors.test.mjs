// @ts-check
/**
 * Errors read the same on every n8n line of the matrix: one workflow, run with `n8n execute` in
 * each line, where every Chorus Pro node continues on fail and meets one failure — a bad invoice
 * id, a wrong technical password, a 503 on a read (retried), a refused connection, a connection
 * reset on a read (retried), a token endpoint refusing the client. The items n8n outputs must be
 * the same, to the word, on each line.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
	asCustomExtension,
	createInstance,
	freePort,
	matrixVersions,
	N8N_VERSION,
	prepareExtension,
	sandboxCredential,
	workDir,
} from '../../scripts/n8n.mjs';
import { createSandbox } from '../../sandbox/server.mjs';

const STRUCTURE = {
	resource: 'structure',
	operation: 'get',
	structure: { __rl: true, mode: 'siret', value: '12345678200036' },
};

/** Each step: the node, its credential, its parameters. */
const STEPS = [
	{
		name: 'Bad Invoice Id',
		credential: 'good',
		parameters: { resource: 'invoice', operation: 'get', invoiceId: '987654321' },
	},
	{ name: 'Wrong Technical Password', credential: 'badPassword', parameters: STRUCTURE },
	{ name: 'Unavailable Then Back', credential: 'good', parameters: STRUCTURE },
	{ name: 'Connection Refused', credential: 'refused', parameters: STRUCTURE },
	{
		name: 'Reset Then Back',
		credential: 'good',
		parameters: { resource: 'invoice', operation: 'getHistory', invoiceId: 'INVOICE_ID' },
	},
	{ name: 'Token Refused', credential: 'invalidClient', parameters: STRUCTURE },
];

/** What each node must output, on every line. */
const EXPECTED = {
	'Bad Invoice Id': (/** @type {any} */ json) => {
		assert.match(json.error, /^Chorus Pro refused the request: GDP_MSG_11\.008/);
		assert.match(json.description, /not the invoice number/);
		assert.equal(json.codeRetour, 20000);
		assert.match(json.libelle, /^GDP_MSG_11\.008/);
		assert.equal(json.httpStatus, 400);
	},
	'Wrong Technical Password': (/** @type {any} */ json) => {
		assert.equal(
			json.error,
			'Chorus Pro refused the technical account: login or password incorrects',
		);
		assert.match(json.description, /424 days/);
		assert.equal(json.httpStatus, 401);
	},
	'Unavailable Then Back': (/** @type {any} */ json) => {
		assert.equal(json.error, undefined, JSON.stringify(json));
		assert.equal(json.requirements.commitmentNumberRequired, true);
	},
	'Connection Refused': (/** @type {any} */ json) => {
		assert.equal(json.error, 'Chorus Pro could not be reached: connection refused');
		assert.match(json.description, /Network error ECONNREFUSED/);
	},
	'Reset Then Back': (/** @type {any} */ json) => {
		assert.equal(json.error, undefined, JSON.stringify(json));
		assert.ok(json.summary.history.length >= 1);
	},
	'Token Refused': (/** @type {any} */ json) => {
		assert.match(json.error, /^PISTE refused the client ID or client secret \(invalid_client\)/);
	},
};

/** @type {Record<string, Record<string, any>>} */
const outputs = {};

for (const version of matrixVersions()) {
	describe(`errors in n8n ${version}`, { timeout: 600_000 }, () => {
		const work = workDir(version === N8N_VERSION ? 'e2e-errors' : `e2e-errors-${version}`);
		/** @type {Awaited<ReturnType<typeof createSandbox>>} */
		let sandbox;
		/** @type {Awaited<ReturnType<typeof createInstance>>} */
		let n8n;

		before(async () => {
			rmSync(work, { recursive: true, force: true });
			sandbox = await createSandbox({ port: 0 });
			const bulk = await fetch(`${sandbox.adminUrl}/invoices/bulk`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ count: 1, statut: 'MISE_A_DISPOSITION', prefix: 'ERR-' }),
			});
			const { firstId } = await bulk.json();
			n8n = await createInstance({
				home: path.join(work, 'home'),
				extensionDir: prepareExtension(path.join(work, 'extension')),
				version,
			});
			const good = sandboxCredential(sandbox, 'cred-good', 'Good');
			const badPassword = sandboxCredential(sandbox, 'cred-bad-password', 'Bad password');
			badPassword.data.technicalPassword = 'Not-The-Password-1';
			const refused = sandboxCredential(sandbox, 'cred-refused', 'Refused');
			refused.data.apiBaseUrl = `http://127.0.0.1:${await freePort()}`;
			const invalidClient = sandboxCredential(sandbox, 'cred-invalid-client', 'Invalid client');
			invalidClient.data.clientSecret = 'not-the-secret';
			await n8n.importCredentials([good, badPassword, refused, invalidClient]);
			const credentials = { good, badPassword, refused, invalidClient };
			const nodes = [
				{
					id: 's',
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				...STEPS.map((step, index) => ({
					id: `e${index}`,
					name: step.name,
					type: 'n8n-nodes-chorus-pro.chorusPro',
					typeVersion: 1,
					position: [220 * (index + 1), 0],
					onError: 'continueRegularOutput',
					credentials: {
						chorusProApi: {
							id: credentials[/** @type {keyof typeof credentials} */ (step.credential)].id,
							name: credentials[/** @type {keyof typeof credentials} */ (step.credential)].name,
						},
					},
					parameters:
						step.parameters.invoiceId === 'INVOICE_ID'
							? { ...step.parameters, invoiceId: String(firstId) }
							: step.parameters,
				})),
			];
			/** @type {Record<string, any>} */
			const connections = {};
			for (let index = 0; index < nodes.length - 1; index++)
				connections[nodes[index].name] = {
					main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]],
				};
			await n8n.importWorkflows([
				asCustomExtension({
					id: 'e2eErrors',
					name: 'e2eErrors',
					active: false,
					nodes,
					connections,
					settings: { executionOrder: 'v1' },
				}),
			]);
		});

		after(async () => {
			await sandbox?.close();
		});

		it('every failure comes out as its item, with the same words as on the other lines', async () => {
			// The wrong password's structure search goes through (and is refused), then two 503s for
			// "Unavailable Then Back"; a reset on the history read.
			await fetch(`${sandbox.adminUrl}/faults`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify([
					{
						path: '/cpro/structures/v1/rechercher',
						after: 1,
						count: 2,
						status: 503,
						headers: { 'Retry-After': '1' },
					},
					{ path: '/cpro/factures/v1/consulter/historique', count: 1, reset: true },
				]),
			});
			const result = await n8n.execute('e2eErrors');
			assert.ok(result.run, (result.stdout + result.stderr).slice(-3000));
			const runData = result.run.data.resultData.runData;
			/** @type {Record<string, any>} */
			const items = {};
			for (const step of STEPS) {
				const out = runData[step.name]?.[0]?.data?.main?.[0] ?? [];
				assert.equal(out.length, 1, `${step.name}: ${JSON.stringify(out).slice(0, 500)}`);
				items[step.name] = out[0].json;
				EXPECTED[/** @type {keyof typeof EXPECTED} */ (step.name)](out[0].json);
			}
			outputs[version] = items;

			const log = sandbox.state.requests;
			const structureReads = log.filter(
				(request) => request.path === '/cpro/structures/v1/rechercher',
			);
			assert.deepEqual(
				structureReads.map((request) => request.status),
				[401, 503, 503, 200],
				'the wrong password is refused at once, the 503s are retried',
			);
			assert.deepEqual(
				log.filter((request) => request.path === '/cpro/factures/v1/consulter/historique').length,
				2,
				'the reset read is sent again',
			);
		});
	});
}

describe('errors read the same on every line', () => {
	it('the items match word for word', () => {
		const [first, ...others] = Object.keys(outputs);
		if (!first) return;
		/** @param {Record<string, any>} items */
		const words = (items) =>
			Object.fromEntries(
				Object.entries(items).map(([node, json]) => [
					node,
					json.error
						? {
								error: json.error,
								description: json.description,
								codeRetour: json.codeRetour,
								libelle: json.libelle,
								httpStatus: json.httpStatus,
							}
						: 'success',
				]),
			);
		for (const version of others)
			assert.deepEqual(words(outputs[version]), words(outputs[first]), `${version} vs ${first}`);
	});
});
