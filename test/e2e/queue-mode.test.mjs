// @ts-check
/**
 * Queue mode, for real: PostgreSQL and Redis from Debian's packages (scripts/services.mjs), an n8n
 * main process and two workers (`n8n worker`, EXECUTIONS_MODE=queue) loading the built package as a
 * custom extension, against the Chorus Pro sandbox. Executions are started as in production, by
 * webhooks on the main process, and must run on a worker: each one's id is in exactly one worker's
 * log ("Worker started execution N") and in none of main's. Binary data crosses the processes in
 * n8n's `database` mode (the default of queue mode since n8n 2.0): a file uploaded to main is
 * deposited by a worker, and a PDF downloaded by a worker is served by main.
 *
 * Runs on the default n8n line (2.41.1) only.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
	asCustomExtension,
	createInstance,
	ensureN8n,
	installPaths,
	N8N_VERSION,
	prepareExtension,
	sandboxCredential,
	workDir,
} from '../../scripts/n8n.mjs';
import { startPostgres, startRedis } from '../../scripts/services.mjs';
import { makeFacturXPdf, makeInvoicePdf } from '../../sandbox/fixtures.mjs';
import { createSandbox } from '../../sandbox/server.mjs';

const work = workDir('e2e-queue');
const CREDENTIAL = { chorusProApi: { id: 'chorus-pro-sandbox', name: 'Chorus Pro sandbox' } };
/** The trigger polls at these seconds of every minute (three poll times: every 20 s). */
const POLL_SECONDS = [0, 20, 40];
const TRIGGER_SEARCH = '/cpro/factures/v1/rechercher/fournisseur';
const WEBHOOK_WORKFLOWS = ['qDeposit', 'qDepositOnly', 'qSubmit', 'qSearch', 'qDownload'];

/** @type {{ parse: (text: string) => any } | undefined} */
let flatted;
/** n8n stores run data with `flatted`; its own copy reads it back. @param {string} text */
const parseRunData = (text) =>
	(flatted ??= createRequire(
		path.join(installPaths(N8N_VERSION).dir, 'node_modules', 'n8n', 'package.json'),
	)('flatted')).parse(text);

/** @type {Awaited<ReturnType<typeof createSandbox>>} */
let sandbox;
/** @type {Awaited<ReturnType<typeof startPostgres>>} */
let postgres;
/** @type {Awaited<ReturnType<typeof startRedis>>} */
let redis;
/** @type {Record<'main' | 'worker1' | 'worker2', Awaited<ReturnType<typeof createInstance>>>} */
const instances = /** @type {any} */ ({});
/** @typedef {Awaited<ReturnType<Awaited<ReturnType<typeof createInstance>>['start']>>} Running */
/** @type {Record<string, Running | undefined>} */
const running = {};
/** Everything each process printed, across its restarts. @type {Record<string, string>} */
const logs = { main: '', worker1: '', worker2: '' };
/** Each start of main: when it was launched and when it answered (its activation poll is between). @type {Array<{ from: number, ready: number }>} */
const mainStarts = [];
/** When main was down: [from, to]. @type {Array<[number, number]>} */
const mainDown = [];
/** The first of the bulk invoices (to download). */
let bulkFirstId = 0;

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @param {'main' | 'worker1' | 'worker2'} name */
async function startProcess(name) {
	const instance = instances[name];
	const from = Date.now();
	const started = await instance.start(
		name === 'main' ? {} : { command: 'worker', args: ['--concurrency=2'] },
	);
	running[name] = started;
	if (name === 'main') {
		// n8n 2.x activates published workflows after it answers: wait for the webhooks and for
		// the trigger's activation poll.
		const activation = await waitFor(
			() =>
				Number(sql('select count(*) from webhook_entity')[0][0]) >= WEBHOOK_WORKFLOWS.length &&
				triggerPolls().find((poll) => poll >= from),
			120_000,
			'the activation of the workflows',
		);
		mainStarts.push({ from, ready: activation });
	}
	return started;
}

/** @param {'main' | 'worker1' | 'worker2'} name */
async function stopProcess(name) {
	const started = running[name];
	if (!started) return;
	await started.stop();
	logs[name] += started.output();
	running[name] = undefined;
}

/** @param {'main' | 'worker1' | 'worker2'} name */
const logOf = (name) => logs[name] + (running[name]?.output() ?? '');

/**
 * Which process started execution `id`: the names of the logs saying so (read once the pipes are
 * drained: the database may tell the execution finished before its log line reached this process).
 * @param {string} id
 */
async function ranOn(id) {
	const line = new RegExp(`Worker started execution ${id} \\(job`);
	const workers = /** @type {const} */ (['worker1', 'worker2']);
	const deadline = Date.now() + 5000;
	while (!workers.some((name) => line.test(logOf(name))) && Date.now() < deadline) await sleep(200);
	await sleep(200);
	assert.doesNotMatch(
		logOf('main'),
		new RegExp(`started execution ${id}\\b`),
		`main ran execution ${id}`,
	);
	return workers.filter((name) => line.test(logOf(name)));
}

/** @param {string} sql */
const sql = (sql) => postgres.query(sql);

/** Executions of a workflow, oldest first. @param {string} workflowId */
function executionsOf(workflowId) {
	return sql(
		`select id, status, mode from execution_entity where "workflowId" = '${workflowId}' order by id`,
	).map(([id, status, mode]) => ({ id, status, mode }));
}

/** The items a node output in an execution, read from n8n's database. @param {string} id @param {string} node */
function itemsOf(id, node) {
	const [[data]] = sql(`select data from execution_data where "executionId" = ${Number(id)}`);
	const run = parseRunData(data);
	return run.resultData.runData[node]?.[0]?.data?.main?.[0] ?? [];
}

/** The error an execution ended with, if any. @param {string} id */
function errorOf(id) {
	const [[data]] = sql(`select data from execution_data where "executionId" = ${Number(id)}`);
	return parseRunData(data).resultData.error?.message;
}

/** @param {string} route @param {object} [body] */
async function adminCall(route, body) {
	const response = await fetch(`${sandbox.adminUrl}${route}`, {
		method: body ? 'POST' : 'GET',
		headers: body ? { 'Content-Type': 'application/json' } : undefined,
		body: body ? JSON.stringify(body) : undefined,
	});
	assert.ok(response.ok, `admin ${route} answered ${response.status}`);
	return await response.json();
}

/** @param {string} prefix */
const requestsTo = (prefix) =>
	sandbox.state.requests.filter((request) => request.path.startsWith(prefix));
const tokenRequests = () =>
	requestsTo('/api/oauth/token').filter((request) => request.status === 200);
/** A search of the trigger (with its "status changed since" filter). @param {any} request */
const isPoll = (request) => Boolean(request.body?.periodeDateHeureEtatCourantDu);
/** The bearer token a logged request carried. @param {any} request */
const bearerOf = (request) => String(request.headers.authorization ?? '').replace(/^Bearer /, '');

/**
 * Calls a production webhook of main and returns its answer; the execution it started is the
 * newest of the workflow.
 * @param {string} webhookPath @param {{ method?: string, query?: Record<string, string>, file?: { data: Buffer, name: string, type: string } }} [options]
 */
async function callWebhook(webhookPath, options = {}) {
	const main = instances.main;
	const query = options.query ? `?${new URLSearchParams(options.query)}` : '';
	const response = await fetch(`http://127.0.0.1:${main.port}/webhook/${webhookPath}${query}`, {
		method: options.method ?? (options.file ? 'POST' : 'GET'),
		headers: options.file
			? {
					'Content-Type': options.file.type,
					'Content-Disposition': `attachment; filename="${options.file.name}"`,
				}
			: undefined,
		body: options.file ? new Uint8Array(options.file.data) : undefined,
		signal: AbortSignal.timeout(120_000),
	});
	const body = Buffer.from(await response.arrayBuffer());
	return {
		status: response.status,
		headers: response.headers,
		body,
		json: () => JSON.parse(body.toString('utf8')),
	};
}

/**
 * Webhook (on main) → one Chorus Pro node (on a worker), answering with the node's items or its
 * first binary.
 * @param {string} id @param {string} method @param {object} chorusParameters @param {{ respondBinary?: string }} [options]
 */
function webhookWorkflow(id, method, chorusParameters, options = {}) {
	return asCustomExtension({
		id,
		name: id,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'w',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: {
					httpMethod: method,
					path: id,
					responseMode: 'lastNode',
					responseData: options.respondBinary ? 'firstEntryBinary' : 'allEntries',
					...(options.respondBinary ? { responseBinaryPropertyName: options.respondBinary } : {}),
					options: { binaryPropertyName: 'data' },
				},
			},
			{
				id: 'c',
				name: 'Chorus Pro',
				type: 'n8n-nodes-chorus-pro.chorusPro',
				typeVersion: 1,
				position: [220, 0],
				credentials: CREDENTIAL,
				parameters: chorusParameters,
			},
		],
		connections: { Webhook: { main: [[{ node: 'Chorus Pro', type: 'main', index: 0 }]] } },
	});
}

const triggerWorkflow = asCustomExtension({
	id: 'qTrigger',
	name: 'qTrigger',
	active: false,
	settings: { executionOrder: 'v1' },
	connections: { 'Chorus Pro Trigger': { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
	nodes: [
		{
			id: 't',
			name: 'Chorus Pro Trigger',
			type: 'n8n-nodes-chorus-pro.chorusProTrigger',
			typeVersion: 1,
			position: [0, 0],
			credentials: CREDENTIAL,
			parameters: {
				// Three poll times (a cron may not poll more than once a minute; three of them may).
				pollTimes: {
					item: POLL_SECONDS.map((second) => ({
						mode: 'custom',
						cronExpression: `${second} * * * * *`,
					})),
				},
				event: 'invoiceStatusChanged',
				statuses: ['REJETEE'],
				options: {},
			},
		},
		{
			id: 'd',
			name: 'Done',
			type: 'n8n-nodes-base.noOp',
			typeVersion: 1,
			position: [220, 0],
			parameters: {},
		},
	],
});

/**
 * The trigger's polls seen by the sandbox: its searches with a "status changed since" filter,
 * grouped (the pages of one poll follow each other).
 */
function triggerPolls() {
	/** @type {number[]} */
	const polls = [];
	let last = 0;
	for (const request of requestsTo(TRIGGER_SEARCH)) {
		if (!isPoll(request)) continue;
		const at = Date.parse(request.at);
		if (at - last > 3000) polls.push(at);
		last = at;
	}
	return polls;
}

/** Waits until `check` returns something truthy. @template T @param {() => T} check @param {number} ms @param {string} what */
async function waitFor(check, ms, what) {
	const deadline = Date.now() + ms;
	for (;;) {
		const value = check();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(500);
	}
}

/** A new invoice of the supplier, then REJETEE: one change for the trigger to emit. @param {string} label */
async function rejectNewInvoice(label) {
	const { firstId } = await adminCall('/invoices/bulk', {
		count: 1,
		statut: 'MISE_A_DISPOSITION',
		prefix: `Q-${label}-`,
	});
	await adminCall(`/invoices/${firstId}/status`, {
		statut: 'REJETEE',
		commentaire: `test ${label}`,
	});
	return firstId;
}

describe(
	`queue mode: n8n ${N8N_VERSION} main + 2 workers, PostgreSQL, Redis`,
	{ timeout: 900_000 },
	() => {
		before(
			async () => {
				ensureN8n();
				rmSync(work, { recursive: true, force: true });
				[sandbox, postgres, redis] = await Promise.all([
					createSandbox({ port: 0, fluxPollsToFinal: 1 }),
					startPostgres(path.join(work, 'postgres')),
					startRedis(path.join(work, 'redis')),
				]);
				const extension = prepareExtension(path.join(work, 'extension'));
				/** What main and every worker share: the database, the queue, the key, the package. */
				const shared = {
					...postgres.n8nEnv,
					...redis.n8nEnv,
					EXECUTIONS_MODE: 'queue',
					// The default of queue mode, said out loud: files live in PostgreSQL, every process reads them.
					N8N_DEFAULT_BINARY_DATA_MODE: 'database',
					N8N_LOG_LEVEL: 'info',
					// No internet here: skip the calls main makes to n8n's servers.
					N8N_HIRING_BANNER_ENABLED: 'false',
				};
				for (const name of /** @type {const} */ (['main', 'worker1', 'worker2'])) {
					instances[name] = await createInstance({
						home: path.join(work, name),
						extensionDir: extension,
						env: shared,
					});
				}
				const main = instances.main;
				await main.importCredentials([sandboxCredential(sandbox)]);
				await main.importWorkflows([
					webhookWorkflow('qDeposit', 'POST', {
						resource: 'invoice',
						operation: 'deposit',
						binaryPropertyName: 'data',
						syntax: 'auto',
						waitForProcessing: true,
						options: { pollInterval: 1 },
					}),
					webhookWorkflow('qDepositOnly', 'POST', {
						resource: 'invoice',
						operation: 'deposit',
						binaryPropertyName: 'data',
						syntax: 'auto',
						waitForProcessing: false,
						options: {},
					}),
					webhookWorkflow('qSubmit', 'POST', {
						resource: 'invoice',
						operation: 'submit',
						submitMode: 'pdf',
						binaryPropertyName: 'data',
						pdfFormat: 'PDF_NON_SIGNE',
						supplierStructure: 26300989,
						recipient: { __rl: true, mode: 'siret', value: '12345678200028' },
						serviceCode: 'SERVICE_DEST_SERV_OBL',
						commitmentNumber: '',
						invoiceNumber: '={{ $json.query.number }}',
						invoiceDate: '2026-11-20',
						invoiceType: 'FACTURE',
						totals: { totalExclTax: 1000, totalVat: 200 },
						additionalFields: {},
					}),
					webhookWorkflow('qSearch', 'GET', {
						resource: 'invoice',
						operation: 'search',
						returnAll: true,
						filters: { invoiceNumber: '' },
						sort: {},
					}),
					webhookWorkflow(
						'qDownload',
						'GET',
						{
							resource: 'invoice',
							operation: 'download',
							invoiceId: '={{ $json.query.id }}',
							format: 'PDF',
							withAttachments: false,
							outputBinaryPropertyName: 'invoice',
						},
						{ respondBinary: 'invoice' },
					),
					triggerWorkflow,
				]);
				await Promise.all([...WEBHOOK_WORKFLOWS, 'qTrigger'].map((id) => main.activate(id)));
				await Promise.all([startProcess('main'), startProcess('worker1'), startProcess('worker2')]);
			},
			{ timeout: 600_000 },
		);

		after(async () => {
			await Promise.all(
				Object.keys(running).map((name) => stopProcess(/** @type {any} */ (name)).catch(() => {})),
			);
			await redis?.stop();
			await postgres?.stop();
			await sandbox?.close();
			if (process.env.CHORUS_PRO_KEEP_LOGS) {
				for (const [name, text] of Object.entries(logs))
					process.stderr.write(`\n----- ${name}\n${text}\n`);
			}
		});

		it('deposit + wait, submit, Return All and download run on a worker; files cross the processes through PostgreSQL', async () => {
			const pdf = makeFacturXPdf({ number: 'Q-FX-1' });
			const deposit = await callWebhook('qDeposit', {
				file: { data: pdf, name: 'q-fx-1.pdf', type: 'application/pdf' },
			});
			assert.equal(deposit.status, 200, deposit.body.toString());
			const [depositItem] = deposit.json();
			assert.equal(depositItem.nomFichier, 'q-fx-1.pdf');
			assert.equal(depositItem.summary.state, 'IN_INTEGRE');
			assert.equal(depositItem.summary.syntax, 'IN_DP_E2_CII_FACTURX');
			// The bytes main received are the bytes the worker sent to Chorus Pro.
			const sent = requestsTo('/cpro/factures/v1/deposer/flux').at(-1);
			assert.equal(Buffer.from(sent?.body?.fichierFlux ?? '', 'base64').equals(pdf), true);
			const depositRun = executionsOf('qDeposit').at(-1);
			assert.equal(depositRun?.status, 'success');
			assert.equal(
				(await ranOn(depositRun.id)).length,
				1,
				`execution ${depositRun.id} ran on no worker`,
			);
			// Uploaded to main, stored in n8n's database (before the execution has an id) for the worker.
			assert.ok(
				Number(
					sql(
						`select count(*) from binary_data where "sourceType" = 'execution' and "fileName" = 'q-fx-1.pdf'`,
					)[0][0],
				) === 1,
				`the uploaded file is not in the binary_data table: ${JSON.stringify(sql('select "sourceType", "sourceId", "fileName", "fileSize" from binary_data'))}`,
			);

			const submit = await callWebhook('qSubmit', {
				query: { number: 'Q-PDF-1' },
				file: {
					data: makeInvoicePdf({ number: 'Q-PDF-1' }),
					name: 'q-pdf-1.pdf',
					type: 'application/pdf',
				},
			});
			assert.equal(submit.status, 200, submit.body.toString());
			assert.equal(submit.json()[0].statutFacture, 'DEPOSEE');
			assert.equal(submit.json()[0].summary.invoiceNumber, 'Q-PDF-1');

			const { firstId } = await adminCall('/invoices/bulk', {
				count: 1100,
				statut: 'MISE_A_DISPOSITION',
				prefix: 'Q-BULK-',
			});
			bulkFirstId = firstId;
			const pagesBefore = requestsTo(TRIGGER_SEARCH).length;
			const search = await callWebhook('qSearch');
			assert.equal(search.status, 200);
			const found = search.json();
			assert.ok(found.length >= 1100, `${found.length} items`);
			const pages = requestsTo(TRIGGER_SEARCH)
				.slice(pagesBefore)
				.filter((request) => !isPoll(request))
				.map((request) => request.body.rechercheFactureParFournisseur.pageResultatDemandee);
			assert.deepEqual(pages, [1, 2]);

			const download = await callWebhook('qDownload', { query: { id: String(firstId) } });
			assert.equal(download.status, 200);
			// Downloaded by a worker, stored in PostgreSQL, served by main.
			assert.equal(download.body.subarray(0, 5).toString('latin1'), '%PDF-');
			assert.match(download.headers.get('content-type') ?? '', /application\/pdf/);

			for (const workflowId of ['qSubmit', 'qSearch', 'qDownload']) {
				const run = executionsOf(workflowId).at(-1);
				assert.equal(run?.status, 'success', workflowId);
				assert.equal(
					(await ranOn(run.id)).length,
					1,
					`${workflowId}: execution ${run.id} ran on no worker`,
				);
			}
			const downloadRun = /** @type {{ id: string }} */ (executionsOf('qDownload').at(-1));
			const [item] = itemsOf(downloadRun.id, 'Chorus Pro');
			assert.match(
				item.binary.invoice.id,
				/^database:/,
				'the downloaded PDF is not in database binary mode',
			);
			assert.ok(
				Number(
					sql(
						`select count(*) from binary_data where "sourceId" = '${downloadRun.id}' and "fileName" = 'chorus-pro-invoice-${firstId}.pdf'`,
					)[0][0],
				) === 1,
			);
		});

		it('two workers deposit concurrently and send no file twice', async (t) => {
			const files = Array.from({ length: 8 }, (_, index) => ({
				name: `q-concurrent-${index + 1}.pdf`,
				data: makeFacturXPdf({ number: `Q-CC-${index + 1}` }),
			}));
			// Each deposit takes a while: the eight executions overlap on both workers.
			await adminCall('/faults', {
				path: '/cpro/factures/v1/deposer/flux',
				count: files.length,
				delayMs: 1500,
			});
			const before = requestsTo('/cpro/factures/v1/deposer/flux').length;
			const runsBefore = executionsOf('qDepositOnly').length;
			const answers = await Promise.all(
				files.map((file) =>
					callWebhook('qDepositOnly', {
						file: { data: file.data, name: file.name, type: 'application/pdf' },
					}),
				),
			);
			for (const answer of answers) assert.equal(answer.status, 200, answer.body.toString());
			const sent = requestsTo('/cpro/factures/v1/deposer/flux')
				.slice(before)
				.map((request) => request.body.nomFichier)
				.sort();
			assert.deepEqual(sent, files.map((file) => file.name).sort(), 'each file exactly once');
			const flux = answers.map((answer) => answer.json()[0].numeroFluxDepot);
			assert.equal(new Set(flux).size, files.length);

			const runs = executionsOf('qDepositOnly').slice(runsBefore);
			assert.equal(runs.length, files.length);
			/** @type {string[]} */
			const workers = [];
			for (const run of runs) {
				assert.equal(run.status, 'success');
				const on = await ranOn(run.id);
				assert.equal(on.length, 1, `execution ${run.id} ran on ${on.length} workers`);
				workers.push(on[0]);
			}
			assert.ok(workers.includes('worker1') && workers.includes('worker2'), `all on ${workers[0]}`);
			// n8n saves static data whole at the end of each execution: concurrent executions of one
			// workflow overwrite each other's "sent once" records (README, Queue mode). Said, not hidden.
			const [[staticData]] = sql(
				`select "staticData" from workflow_entity where id = 'qDepositOnly'`,
			);
			const kept = Object.values(JSON.parse(staticData || '{}')).reduce(
				(count, node) => count + Object.keys(/** @type {any} */ (node)?.sent ?? {}).length,
				0,
			);
			t.diagnostic(`"sent once" records kept after ${files.length} concurrent executions: ${kept}`);
		});

		it('the trigger polls on main only, once per poll time, and emits each change once across restarts of main and of a worker', async () => {
			const finished = () =>
				executionsOf('qTrigger').filter((run) => run.status !== 'running' && run.status !== 'new');
			const describeRuns = () =>
				JSON.stringify(
					finished().map((run) => ({
						...run,
						items: itemsOf(run.id, 'Chorus Pro Trigger').map(
							(/** @type {any} */ item) => item.json.invoiceId,
						),
						error: errorOf(run.id),
					})),
				);
			const emitted = () => {
				const runs = finished();
				for (const run of runs) assert.equal(run.status, 'success', describeRuns());
				return runs;
			};
			/** @param {number} count */
			const waitEmitted = (count) =>
				waitFor(
					() => emitted().length >= count && emitted(),
					90_000,
					`${count} trigger executions`,
				);
			/** @param {number} id */
			const changeIn = (id) => (/** @type {{ id: string }} */ run) =>
				itemsOf(run.id, 'Chorus Pro Trigger')
					.map((/** @type {any} */ item) => item.json.invoiceId)
					.includes(id);

			// 1. A change, emitted by main's poll, run on a worker.
			const first = await rejectNewInvoice('A');
			let runs = await waitEmitted(1);
			assert.equal(runs.length, 1);
			assert.deepEqual(
				itemsOf(runs[0].id, 'Chorus Pro Trigger').map((/** @type {any} */ item) => [
					item.json.invoiceId,
					item.json.status,
				]),
				[[first, 'REJETEE']],
			);
			assert.equal(runs[0].status, 'success');
			assert.equal((await ranOn(runs[0].id)).length, 1, 'the trigger execution ran on no worker');

			// 2. Main stopped: nobody polls, though both workers run. A change meanwhile is emitted
			//    once main is back (its activation poll), and the earlier one is not emitted again.
			const downFrom = Date.now();
			await stopProcess('main');
			const second = await rejectNewInvoice('B');
			await sleep(25_000);
			mainDown.push([downFrom, Date.now()]);
			await startProcess('main');
			runs = await waitEmitted(2);
			assert.equal(runs.length, 2);
			assert.ok(changeIn(second)(runs[1]), 'the change made while main was down');
			assert.ok(!changeIn(first)(runs[1]), 'the first change emitted twice');

			// 3. A worker stopped: the other runs the next emission; back, nothing is emitted again.
			await stopProcess('worker1');
			const third = await rejectNewInvoice('C');
			runs = await waitEmitted(3);
			assert.deepEqual(await ranOn(runs[2].id), ['worker2'], describeRuns());
			assert.ok(changeIn(third)(runs[2]));
			await startProcess('worker1');
			const pollsBefore = triggerPolls().length;
			await waitFor(() => triggerPolls().length >= pollsBefore + 2, 60_000, 'two more polls');
			runs = emitted();
			assert.equal(runs.length, 3, 'a change was emitted twice');
			for (const [index, id] of [first, second, third].entries()) {
				assert.equal(runs.filter(changeIn(id)).length, 1, `change ${index + 1} emitted once`);
				assert.equal(itemsOf(runs[index].id, 'Chorus Pro Trigger').length, 1);
			}

			// 4. Polls: exactly one at each poll time while main runs, plus one activation poll at each
			//    start of main; none while main is down; never one per process.
			const polls = triggerPolls();
			const end = Date.now() - 6000;
			const iso = (/** @type {number} */ at) => new Date(at).toISOString().slice(11, 23);
			const timeline = () =>
				`polls ${polls.map(iso).join(' ')}; main started ${mainStarts.map(({ from, ready }) => `${iso(from)}-${iso(ready)}`).join(' ')}; main down ${mainDown.map(([from, to]) => `${iso(from)}-${iso(to)}`).join(' ')}`;
			const mainUp = (/** @type {number} */ at) =>
				mainStarts.some(
					({ ready }, index) => at >= ready && at <= (mainDown[index]?.[0] ?? Infinity),
				);
			/** @type {number[]} */
			const explained = [];
			for (const { from, ready } of mainStarts) {
				const activation = polls.filter((poll) => poll >= from && poll <= ready);
				assert.equal(activation.length, 1, `${activation.length} polls while main started`);
				explained.push(...activation);
			}
			let slots = 0;
			for (
				let minute = Math.floor(mainStarts[0].from / 60_000) * 60_000;
				minute < end;
				minute += 60_000
			) {
				for (const second of POLL_SECONDS) {
					const slot = minute + second * 1000;
					if (slot > end || !mainUp(slot - 1000) || !mainUp(slot + 500)) continue;
					const inSlot = polls.filter((poll) => poll >= slot - 500 && poll < slot + 5000);
					// Main stopping just after a poll time may or may not have polled; main ready just
					// before one (its activation poll still running) may start its schedule after it.
					const expected = mainUp(slot + 5000) && mainUp(slot - 5000) ? [1] : [0, 1];
					assert.ok(
						expected.includes(inSlot.length),
						`poll time ${new Date(slot).toISOString()}: ${inSlot.length} polls; ${timeline()}`,
					);
					if (expected.length === 1) slots++;
					explained.push(...inSlot);
				}
			}
			assert.ok(slots >= 2, `only ${slots} poll times observed`);
			for (const [from, to] of mainDown) {
				assert.deepEqual(
					polls.filter((poll) => poll > from && poll < to),
					[],
					'a poll while main was down',
				);
			}
			const unexplained = polls.filter((poll) => poll <= end && !explained.includes(poll));
			assert.deepEqual(
				unexplained.map((at) => new Date(at).toISOString()),
				[],
				`polls at no poll time; ${timeline()}`,
			);
		});

		it('one PISTE token for every execution on main and on the workers, saved in PostgreSQL, renewed once when it expires', async () => {
			const tokens = tokenRequests();
			assert.equal(tokens.length, 1, `${tokens.length} token requests`);
			const calls = requestsTo('/cpro/');
			const used = new Set(calls.map(bearerOf));
			assert.equal(used.size, 1, 'every call of main and of the workers carried the same token');
			const [token] = used;
			assert.equal(sandbox.state.tokens.has(token), true);
			// The token is in the stored credential (encrypted in PostgreSQL), where every process reads it.
			const exported = path.join(work, 'credentials.json');
			const result = await instances.main.cli([
				'export:credentials',
				'--id=chorus-pro-sandbox',
				'--decrypted',
				`--output=${exported}`,
			]);
			assert.equal(result.status, 0, result.stdout + result.stderr);
			const [stored] = JSON.parse(readFileSync(exported, 'utf8'));
			rmSync(exported, { force: true });
			assert.equal(stored.data.accessToken, token);
			assert.match(stored.data.expiresAt, /^\d{4}-\d{2}-\d{2}T/);
			assert.doesNotMatch(
				sql(`select data from credentials_entity where id = 'chorus-pro-sandbox'`)[0][0],
				new RegExp(token),
			);

			// Expired at the gateway just after a poll: the next execution, on a worker, gets one new
			// token and saves it; main's next poll and the other worker use it.
			const polls = triggerPolls().length;
			await waitFor(() => triggerPolls().length > polls, 30_000, 'a poll');
			await sleep(4000);
			const expiredAt = Date.now();
			await adminCall('/tokens/expire', {});
			const download = await callWebhook('qDownload', { query: { id: String(bulkFirstId) } });
			assert.equal(download.status, 200, download.body.toString());
			assert.equal(tokenRequests().length, 2);
			const newToken = bearerOf(requestsTo('/cpro/').at(-1));
			assert.notEqual(newToken, token);
			const afterRenewal = requestsTo('/cpro/').length;
			const pollsNow = triggerPolls().length;
			await waitFor(() => triggerPolls().length > pollsNow, 30_000, 'a poll after the renewal');
			await sleep(2000);
			await Promise.all([
				callWebhook('qSubmit', {
					query: { number: 'Q-PDF-2' },
					file: {
						data: makeInvoicePdf({ number: 'Q-PDF-2' }),
						name: 'q-pdf-2.pdf',
						type: 'application/pdf',
					},
				}),
				callWebhook('qSearch'),
			]);
			const later = requestsTo('/cpro/').slice(afterRenewal);
			assert.ok(later.length >= 4);
			const story = () =>
				JSON.stringify(
					sandbox.state.requests
						.filter((request) => Date.parse(request.at) >= expiredAt)
						.map((request) => [
							request.at.slice(11, 23),
							request.path.replace(/^\/cpro\//, ''),
							isPoll(request) ? 'poll' : '',
							bearerOf(request).slice(0, 6),
							request.status,
						]),
				);
			assert.deepEqual([...new Set(later.map(bearerOf))], [newToken], story());
			assert.equal(tokenRequests().length, 2, 'the token was renewed once');
		});
	},
);
