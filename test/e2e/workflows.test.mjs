// @ts-check
/**
 * End-to-end: the built package installed in a real n8n (as a custom extension), workflows run
 * with `n8n execute` and the trigger polled by `n8n start`, against the Chorus Pro sandbox.
 * Assertions are on the items n8n outputs and on the sandbox's request log. Runs once per n8n
 * version of the matrix (scripts/n8n.mjs N8N_LINES, or CHORUS_PRO_N8N_VERSIONS).
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
	asCustomExtension,
	createInstance,
	matrixVersions,
	N8N_VERSION,
	prepareExtension,
	sandboxCredential,
	setupOwner,
	workDir,
} from '../../scripts/n8n.mjs';
import { makeFacturXPdf, makeInvoicePdf } from '../../sandbox/fixtures.mjs';
import { createSandbox } from '../../sandbox/server.mjs';

const CREDENTIAL = { chorusProApi: { id: 'chorus-pro-sandbox', name: 'Chorus Pro sandbox' } };

/** @type {Awaited<ReturnType<typeof createSandbox>>} */
let sandbox;
/** @type {Awaited<ReturnType<typeof createInstance>>} */
let n8n;

/**
 * A workflow Manual Trigger → [nodes...] in a line, the Chorus Pro nodes with the credential.
 * @param {string} id @param {Array<{ name: string, type: string, parameters: object, typeVersion?: number, onError?: string }>} steps
 */
function line(id, steps) {
	const nodes = [
		{
			id: 'start',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		...steps.map((step, index) => ({
			id: `n${index}`,
			typeVersion: 1,
			position: [220 * (index + 1), 0],
			...step,
			...(step.type.startsWith('n8n-nodes-chorus-pro.') ? { credentials: CREDENTIAL } : {}),
		})),
	];
	/** @type {Record<string, any>} */
	const connections = {};
	for (let index = 0; index < nodes.length - 1; index++) {
		connections[nodes[index].name] = {
			main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]],
		};
	}
	return asCustomExtension({
		id,
		name: id,
		active: false,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
	});
}

/** Runs a workflow and returns the items of one node (the last one by default). @param {string} id @param {string} node */
async function runAndRead(id, node) {
	const result = await n8n.execute(id);
	const runData = result.run?.data?.resultData?.runData ?? {};
	const task = runData[node]?.[0];
	return {
		ok: result.ok,
		result,
		items: task?.data?.main?.[0] ?? [],
		error: result.run?.data?.resultData?.error,
	};
}

/** @param {string} path @param {object} [body] */
async function adminCall(path, body) {
	const response = await fetch(`${sandbox.adminUrl}${path}`, {
		method: body ? 'POST' : 'GET',
		headers: body ? { 'Content-Type': 'application/json' } : undefined,
		body: body ? JSON.stringify(body) : undefined,
	});
	assert.ok(response.ok, `admin ${path} answered ${response.status}`);
	return await response.json();
}

/** @param {string} prefix */
const requestsTo = (prefix) =>
	sandbox.state.requests.filter((request) => request.path.startsWith(prefix));

const chorus = (name, parameters, extra = {}) => ({
	name,
	type: 'n8n-nodes-chorus-pro.chorusPro',
	parameters,
	...extra,
});

const REAL_WORLD_FILES = [
	'factur-x/aspose_EN16931_objstm.pdf',
	'factur-x/factur-x-python_MINIMUM_fx-minimum-1.pdf',
	'factur-x/intarsys_XRECHNUNG_xrechnung-xml.pdf',
	'plain-pdf/libreoffice_plain.pdf',
	'archives/bomb-1gib-single-entry.zip',
];

/** @param {string} version */
const suite = (version) =>
	describe(`the package in a real n8n ${version}`, { timeout: 600_000 }, () => {
		const work = workDir(version === N8N_VERSION ? 'e2e-workflows' : `e2e-workflows-${version}`);
		before(async () => {
			rmSync(work, { recursive: true, force: true });
			sandbox = await createSandbox({ port: 0 });
			const extension = prepareExtension(path.join(work, 'extension'));
			n8n = await createInstance({
				home: path.join(work, 'home'),
				extensionDir: extension,
				version,
			});
			mkdirSync(path.join(n8n.filesDir, 'in'), { recursive: true });
			writeFileSync(
				path.join(n8n.filesDir, 'in', 'facturx.pdf'),
				makeFacturXPdf({ number: 'E2E-FX-1' }),
			);
			writeFileSync(
				path.join(n8n.filesDir, 'in', 'plain.pdf'),
				makeInvoicePdf({ number: 'E2E-PDF-1' }),
			);
			// Files made by other projects (test/fixtures/real-world/SOURCES.md) and a zip bomb.
			mkdirSync(path.join(n8n.filesDir, 'in', 'real'), { recursive: true });
			for (const file of REAL_WORLD_FILES)
				copyFileSync(
					new URL(`../fixtures/real-world/${file}`, import.meta.url),
					path.join(n8n.filesDir, 'in', 'real', path.basename(file)),
				);
			await n8n.importCredentials([sandboxCredential(sandbox)]);
		});

		after(async () => {
			await sandbox?.close();
		});

		it('deposits a Factur-X read from disk and waits for its report', async () => {
			await n8n.importWorkflows([
				line('e2eDeposit', [
					{
						name: 'Read',
						type: 'n8n-nodes-base.readWriteFile',
						parameters: { fileSelector: path.join(n8n.filesDir, 'in', 'facturx.pdf'), options: {} },
					},
					chorus('Deposit', {
						resource: 'invoice',
						operation: 'deposit',
						binaryPropertyName: 'data',
						syntax: 'auto',
						waitForProcessing: true,
						options: { pollInterval: 1 },
					}),
				]),
			]);
			const { ok, items, result } = await runAndRead('e2eDeposit', 'Deposit');
			assert.ok(ok, (result.stdout + result.stderr).slice(-3000));
			assert.equal(items.length, 1);
			const { summary, numeroFluxDepot, nomFichier } = items[0].json;
			assert.equal(nomFichier, 'facturx.pdf');
			assert.equal(summary.state, 'IN_INTEGRE');
			assert.equal(summary.syntax, 'IN_DP_E2_CII_FACTURX');
			assert.equal(summary.invoiceIds.length, 1);
			const deposit = requestsTo('/cpro/factures/v1/deposer/flux').at(-1);
			assert.equal(deposit?.body?.syntaxeFlux, 'IN_DP_E2_CII_FACTURX');
			assert.ok(
				requestsTo('/cpro/transverses/v1/consulterCRDetaille').some(
					(r) => r.body?.numeroFluxDepot === numeroFluxDepot,
				),
			);
		});

		it('deposits real Factur-X files of a folder, refuses a plain PDF and a zip bomb, and n8n stays up', async () => {
			await n8n.importWorkflows([
				line('e2eRealWorld', [
					{
						name: 'Read',
						type: 'n8n-nodes-base.readWriteFile',
						parameters: { fileSelector: path.join(n8n.filesDir, 'in', 'real', '*'), options: {} },
					},
					chorus(
						'Deposit',
						{
							resource: 'invoice',
							operation: 'deposit',
							binaryPropertyName: 'data',
							syntax: 'auto',
							waitForProcessing: false,
							options: {},
						},
						{ onError: 'continueRegularOutput' },
					),
				]),
			]);
			const before = requestsTo('/cpro/factures/v1/deposer/flux').length;
			const { ok, items, result } = await runAndRead('e2eRealWorld', 'Deposit');
			assert.ok(ok, (result.stdout + result.stderr).slice(-3000));
			// Error items carry no file: they are paired with the Read node's items.
			const read = result.run.data.resultData.runData.Read[0].data.main[0];
			const byFile = Object.fromEntries(
				items.map((item) => [read[item.pairedItem.item].binary.data.fileName, item.json]),
			);
			assert.equal(items.length, REAL_WORLD_FILES.length);
			for (const [file, profile] of [
				['aspose_EN16931_objstm.pdf', 'EN 16931'],
				['factur-x-python_MINIMUM_fx-minimum-1.pdf', 'MINIMUM'],
				['intarsys_XRECHNUNG_xrechnung-xml.pdf', 'XRECHNUNG'],
			]) {
				assert.equal(byFile[file]?.summary?.syntax, 'IN_DP_E2_CII_FACTURX', file);
				assert.equal(byFile[file]?.summary?.facturX?.profile, profile, file);
			}
			assert.match(byFile['libreoffice_plain.pdf']?.error, /Submit \(from PDF\)/);
			assert.match(byFile['bomb-1gib-single-entry.zip']?.error, /unpacks to more than 120 MB/);
			assert.equal(requestsTo('/cpro/factures/v1/deposer/flux').length - before, 3);
		});

		it('submits a PDF invoice with its fields', async () => {
			await n8n.importWorkflows([
				line('e2eSubmit', [
					{
						name: 'Read',
						type: 'n8n-nodes-base.readWriteFile',
						parameters: { fileSelector: path.join(n8n.filesDir, 'in', 'plain.pdf'), options: {} },
					},
					chorus('Submit', {
						resource: 'invoice',
						operation: 'submit',
						submitMode: 'pdf',
						binaryPropertyName: 'data',
						pdfFormat: 'PDF_NON_SIGNE',
						supplierStructure: 26300989,
						recipient: { __rl: true, mode: 'siret', value: '12345678200028' },
						serviceCode: 'SERVICE_DEST_SERV_OBL',
						commitmentNumber: '',
						invoiceNumber: 'E2E-PDF-1',
						invoiceDate: '2026-11-20',
						invoiceType: 'FACTURE',
						totals: { totalExclTax: 1000, totalVat: 200 },
						additionalFields: {},
					}),
				]),
			]);
			const { ok, items, result } = await runAndRead('e2eSubmit', 'Submit');
			assert.ok(ok, (result.stdout + result.stderr).slice(-3000));
			assert.equal(items[0].json.statutFacture, 'DEPOSEE');
			assert.equal(items[0].json.summary.invoiceNumber, 'E2E-PDF-1');
			const paths = sandbox.state.requests.map((r) => r.path);
			assert.ok(
				paths.lastIndexOf('/cpro/factures/v1/deposer/pdf') <
					paths.lastIndexOf('/cpro/factures/v1/soumettre'),
			);
			assert.equal(
				requestsTo('/cpro/factures/v1/soumettre').at(-1)?.body?.modeDepot,
				'DEPOT_PDF_API',
			);
		});

		it('searches with Return All across pages, then reads a status history and downloads a PDF', async () => {
			const { firstId } = await adminCall('/invoices/bulk', {
				count: 2100,
				statut: 'MISE_A_DISPOSITION',
				prefix: 'E2E-BULK-',
			});
			await adminCall(`/invoices/${firstId}/advance`, { until: 'MANDATEE' });
			await n8n.importWorkflows([
				line('e2eSearch', [
					chorus('Search', {
						resource: 'invoice',
						operation: 'search',
						returnAll: true,
						filters: { invoiceNumber: '' },
						sort: {},
					}),
				]),
				line('e2eHistory', [
					chorus('History', {
						resource: 'invoice',
						operation: 'getHistory',
						invoiceId: String(firstId),
					}),
				]),
				line('e2eDownload', [
					chorus('Download', {
						resource: 'invoice',
						operation: 'download',
						invoiceId: String(firstId),
						format: 'PDF',
						withAttachments: false,
						outputBinaryPropertyName: 'invoice',
					}),
				]),
			]);
			const before = requestsTo('/cpro/factures/v1/rechercher/fournisseur').length;
			const search = await runAndRead('e2eSearch', 'Search');
			assert.ok(search.ok, (search.result.stdout + search.result.stderr).slice(-3000));
			assert.ok(
				search.items.length >= 2100,
				`${search.items.length} items\n${(search.result.stdout + search.result.stderr).slice(-3000)}`,
			);
			const pages = requestsTo('/cpro/factures/v1/rechercher/fournisseur').slice(before);
			assert.deepEqual(
				pages.map((r) => r.body.rechercheFactureParFournisseur.pageResultatDemandee),
				[1, 2, 3],
			);

			const history = await runAndRead('e2eHistory', 'History');
			assert.ok(history.ok, (history.result.stdout + history.result.stderr).slice(-3000));
			assert.deepEqual(
				history.items[0].json.summary.history.map((/** @type {any} */ entry) => entry.status),
				['MANDATEE', 'SERVICE_FAIT', 'MISE_A_DISPOSITION', 'EN_COURS_ACHEMINEMENT', 'DEPOSEE'],
			);

			const download = await runAndRead('e2eDownload', 'Download');
			assert.ok(download.ok, (download.result.stdout + download.result.stderr).slice(-3000));
			assert.equal(download.items[0].binary.invoice.mimeType, 'application/pdf');
			assert.equal(download.items[0].binary.invoice.fileName, `chorus-pro-invoice-${firstId}.pdf`);
		});

		it('looks a buyer up by SIRET with its requirements', async () => {
			await n8n.importWorkflows([
				line('e2eStructure', [
					chorus('Structure', {
						resource: 'structure',
						operation: 'get',
						structure: { __rl: true, mode: 'siret', value: '12345678200036' },
					}),
				]),
			]);
			const { ok, items, result } = await runAndRead('e2eStructure', 'Structure');
			assert.ok(ok, (result.stdout + result.stderr).slice(-3000));
			assert.deepEqual(items[0].json.requirements, {
				serviceCodeRequired: false,
				commitmentNumberRequired: true,
				serviceCodeOrCommitmentNumberRequired: false,
				paymentStatusNotReported: false,
				receivesThroughEdi: false,
			});
		});

		it('continues on a failing call with the error in the item', async () => {
			await n8n.importWorkflows([
				line('e2eFailing', [
					chorus(
						'Get',
						{ resource: 'invoice', operation: 'get', invoiceId: '987654321' },
						{ onError: 'continueRegularOutput' },
					),
				]),
			]);
			const { ok, items, result } = await runAndRead('e2eFailing', 'Get');
			assert.ok(ok, (result.stdout + result.stderr).slice(-3000));
			assert.match(items[0].json.error, /^Chorus Pro refused the request: GDP_MSG_11\.008/);
			assert.equal(items[0].json.codeRetour, 20000);
			assert.equal(items[0].json.httpStatus, 400);
		});

		it('Retry On Fail over a batch sends each good file at most once', async () => {
			const folder = (name) => path.join(n8n.filesDir, 'in', name);
			mkdirSync(folder('retry'), { recursive: true });
			mkdirSync(folder('retry-bad'), { recursive: true });
			for (const [dir, file] of [
				['retry', 'ubl/ce_ubl-tc434-example1.xml'],
				['retry', 'ubl/kosit_01.01a-INVOICE_ubl.xml'],
				['retry-bad', 'ubl/ce_ubl-tc434-example4.xml'],
			])
				copyFileSync(
					new URL(`../fixtures/real-world/${file}`, import.meta.url),
					path.join(folder(dir), path.basename(file)),
				);
			writeFileSync(path.join(folder('retry-bad'), 'notes.txt'), 'not an invoice');
			const retrying = (id, dir) =>
				line(id, [
					{
						name: 'Read',
						type: 'n8n-nodes-base.readWriteFile',
						parameters: { fileSelector: path.join(folder(dir), '*'), options: {} },
					},
					chorus(
						'Deposit',
						{
							resource: 'invoice',
							operation: 'deposit',
							binaryPropertyName: 'data',
							syntax: 'auto',
							waitForProcessing: false,
							options: {},
						},
						{ retryOnFail: true, maxTries: 3, waitBetweenTries: 0 },
					),
				]);
			await n8n.importWorkflows([
				retrying('e2eRetry', 'retry'),
				retrying('e2eRetryBad', 'retry-bad'),
			]);
			const deposits = () => requestsTo('/cpro/factures/v1/deposer/flux');

			// A file that is not an invoice stops the run before anything is sent, on every try.
			let before = deposits().length;
			const bad = await runAndRead('e2eRetryBad', 'Deposit');
			assert.equal(bad.ok, false);
			assert.match(JSON.stringify(bad.error), /notes\.txt.*could not be detected/);
			assert.equal(deposits().length - before, 0);

			// The second deposit of every try is refused: the first file is sent once, in all.
			before = deposits().length;
			await adminCall('/faults', {
				path: '/cpro/factures/v1/deposer/flux',
				after: 1,
				count: 3,
				status: 400,
				body: { codeRetour: 20001, libelle: 'Refus de test' },
			});
			const refused = await runAndRead('e2eRetry', 'Deposit');
			assert.equal(refused.ok, false);
			const sent = deposits()
				.slice(before)
				.map((request) => request.body.nomFichier);
			assert.equal(sent.length, 4, JSON.stringify(sent));
			assert.equal(new Set(sent).size, 2);
			assert.equal(sent.filter((name) => name === sent[0]).length, 1, JSON.stringify(sent));
		});

		it('re-uses one PISTE token across all the executions (saved in the database)', () => {
			assert.equal(requestsTo('/api/oauth/token').length, 1);
		});

		it('polls with the trigger once activated, emits the backfilled change and saves its state', async () => {
			const { firstId } = await adminCall('/invoices/bulk', {
				count: 1,
				statut: 'MISE_A_DISPOSITION',
				prefix: 'E2E-TRIG-',
			});
			await adminCall(`/invoices/${firstId}/status`, {
				statut: 'REJETEE',
				commentaire: 'Wrong amount',
			});
			const trigger = asCustomExtension({
				id: 'e2eTrigger',
				name: 'e2eTrigger',
				active: false,
				settings: { executionOrder: 'v1' },
				connections: {
					'Chorus Pro Trigger': { main: [[{ node: 'Done', type: 'main', index: 0 }]] },
				},
				nodes: [
					{
						id: 't',
						name: 'Chorus Pro Trigger',
						type: 'n8n-nodes-chorus-pro.chorusProTrigger',
						typeVersion: 1,
						position: [0, 0],
						credentials: CREDENTIAL,
						parameters: {
							pollTimes: { item: [{ mode: 'everyHour' }] },
							event: 'invoiceStatusChanged',
							statuses: ['REJETEE'],
							options: { backfillHours: 1 },
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
			await n8n.importWorkflows([trigger]);
			await n8n.activate('e2eTrigger');

			const server = await n8n.start();
			try {
				const cookie = await setupOwner(n8n.url);
				// The activation poll runs once at start; wait for its execution.
				/** @type {any} */
				let execution;
				const deadline = Date.now() + 90_000;
				while (!execution && Date.now() < deadline) {
					const response = await fetch(
						`${n8n.url}/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: 'e2eTrigger' }))}`,
						{ headers: { cookie } },
					);
					const list = (await response.json()).data?.results ?? [];
					execution = list.find((/** @type {any} */ entry) => entry.status === 'success');
					if (!execution) await new Promise((resolve) => setTimeout(resolve, 1000));
				}
				assert.ok(
					execution,
					`no successful execution of the trigger workflow\n${server.output().slice(-3000)}`,
				);
				const details = await (
					await fetch(`${n8n.url}/rest/executions/${execution.id}`, { headers: { cookie } })
				).json();
				assert.match(
					JSON.stringify(details),
					new RegExp(`"invoiceId",?[^,]*${firstId}|${firstId}`),
				);
				const search = requestsTo('/cpro/factures/v1/rechercher/fournisseur').at(-1);
				assert.match(
					search?.body?.periodeDateHeureEtatCourantDu ?? '',
					/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/,
				);
				const workflow = await (
					await fetch(`${n8n.url}/rest/workflows/e2eTrigger`, { headers: { cookie } })
				).json();
				const staticData = workflow.data?.staticData ?? {};
				assert.ok(
					JSON.stringify(staticData).includes(`${firstId}|REJETEE|`),
					JSON.stringify(staticData).slice(0, 500),
				);
			} finally {
				await server.stop();
			}
		});
	});

for (const version of matrixVersions()) suite(version);
