// @ts-check
/**
 * `npm run demo`: the Chorus Pro sandbox and a real n8n with this package, a ready credential and
 * the example workflows; prints the editor URL and a login, and runs until Ctrl+C.
 * `npm run demo -- --headless`: runs the example workflows end to end with `n8n execute` and prints
 * what happened; exits non-zero on any failure.
 * Needs no PISTE account: everything talks to the local sandbox.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

import { makeFacturXPdf, makeInvoicePdf } from '../sandbox/fixtures.mjs';
import { createSandbox } from '../sandbox/server.mjs';
import {
	asCustomExtension,
	createInstance,
	ensureN8n,
	freePort,
	N8N_VERSION,
	OWNER,
	prepareExtension,
	repoRoot,
	sandboxCredential,
	setupOwner,
	workDir,
} from './n8n.mjs';

const headless = process.argv.includes('--headless');
const work = workDir(headless ? 'demo-headless' : 'demo');
const EXAMPLES = path.join(repoRoot, 'examples');

/** @param {string} text */
const say = (text) => process.stdout.write(`${text}\n`);

/** @param {number} port @returns {Promise<boolean>} */
async function portIsFree(port) {
	return await new Promise((resolve) => {
		const server = createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/** Example workflow from examples/, with its file paths moved into the instance's file folder. @param {string} file @param {string} dataDir */
function example(file, dataDir) {
	const text = readFileSync(path.join(EXAMPLES, file), 'utf8')
		.split('/data/chorus-pro')
		.join(dataDir);
	return asCustomExtension(JSON.parse(text));
}

/** The invoices the examples read: Factur-X files to deposit, a spreadsheet of PDF invoices. @param {string} dataDir */
function writeDemoFiles(dataDir) {
	mkdirSync(path.join(dataDir, 'outbox'), { recursive: true });
	mkdirSync(path.join(dataDir, 'pdf'), { recursive: true });
	const stamp = Date.now().toString(36).slice(-4).toUpperCase();
	const deposits = [
		{ number: `FX-${stamp}-001`, amountHT: 1250 },
		{
			number: `FX-${stamp}-002`,
			amountHT: 480,
			recipientSiret: '12345678200028',
			serviceCode: 'SERVICE_DEST_SERV_OBL',
		},
	];
	for (const invoice of deposits)
		writeFileSync(path.join(dataDir, 'outbox', `${invoice.number}.pdf`), makeFacturXPdf(invoice));
	const rows = [
		{
			invoice_number: `PDF-${stamp}-101`,
			recipient_siret: '00000000012887',
			service_code: '',
			total_excl_tax: 1000,
			total_vat: 200,
		},
		{
			invoice_number: `PDF-${stamp}-102`,
			recipient_siret: '12345678200028',
			service_code: 'SERVICE_DEST_SERV_OBL',
			total_excl_tax: 450,
			total_vat: 90,
		},
	];
	const header =
		'invoice_number,invoice_date,supplier_id,recipient_siret,service_code,commitment_number,total_excl_tax,total_vat,vat_rate,pdf_file';
	const lines = rows.map((row) => {
		const pdf = path.join(dataDir, 'pdf', `${row.invoice_number}.pdf`);
		writeFileSync(
			pdf,
			makeInvoicePdf({
				number: row.invoice_number,
				amountHT: row.total_excl_tax,
				recipientSiret: row.recipient_siret,
			}),
		);
		return [
			row.invoice_number,
			'2026-11-20',
			26300989,
			row.recipient_siret,
			row.service_code,
			'',
			row.total_excl_tax,
			row.total_vat,
			20,
			pdf,
		].join(',');
	});
	writeFileSync(path.join(dataDir, 'invoices.csv'), `${[header, ...lines].join('\n')}\n`);
	return { deposits };
}

/** A copy of the daily check that starts by hand, for `n8n execute`. @param {any} workflow */
function startingByHand(workflow) {
	const copy = JSON.parse(JSON.stringify(workflow));
	const trigger = copy.nodes.find(
		(/** @type {any} */ node) => node.type === 'n8n-nodes-base.scheduleTrigger',
	);
	Object.assign(trigger, { type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} });
	copy.id = `${copy.id}Now`;
	copy.name = `${copy.name} (run now)`;
	return copy;
}

/** Manual Trigger → Search by invoice number → Get Status History: the demo's "where is my invoice?". */
function historyWorkflow() {
	const credentials = { chorusProApi: { id: 'chorus-pro-sandbox', name: 'Chorus Pro sandbox' } };
	return asCustomExtension({
		id: 'chorusDemoHistory',
		name: 'Chorus Pro: where is my invoice? (status history)',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: '1',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: '2',
				name: 'Find the invoice',
				type: 'n8n-nodes-chorus-pro.chorusPro',
				typeVersion: 1,
				position: [220, 0],
				credentials,
				parameters: {
					resource: 'invoice',
					operation: 'search',
					returnAll: false,
					limit: 1,
					filters: { invoiceNumber: '' },
					sort: {},
				},
			},
			{
				id: '3',
				name: 'Status history',
				type: 'n8n-nodes-chorus-pro.chorusPro',
				typeVersion: 1,
				position: [440, 0],
				credentials,
				parameters: {
					resource: 'invoice',
					operation: 'getHistory',
					invoiceId: '={{ $json.identifiantFactureCPP }}',
				},
			},
		],
		connections: {
			Start: { main: [[{ node: 'Find the invoice', type: 'main', index: 0 }]] },
			'Find the invoice': { main: [[{ node: 'Status history', type: 'main', index: 0 }]] },
		},
	});
}

/** @param {any} run @param {string} node */
const itemsOf = (run, node) => run?.data?.resultData?.runData?.[node]?.[0]?.data?.main?.[0] ?? [];

async function main() {
	say(
		`Chorus Pro demo — n8n ${N8N_VERSION} with n8n-nodes-chorus-pro, against the local Chorus Pro sandbox`,
	);
	ensureN8n();
	say('Building the package...');
	const build = spawnSync(path.join(repoRoot, 'node_modules', '.bin', 'n8n-node'), ['build'], {
		cwd: repoRoot,
		encoding: 'utf8',
	});
	if (build.status !== 0) throw new Error(`build failed\n${build.stdout}${build.stderr}`);

	rmSync(work, { recursive: true, force: true });
	const sandbox = await createSandbox({ port: headless || !(await portIsFree(8790)) ? 0 : 8790 });
	const port = !headless && (await portIsFree(5678)) ? 5678 : await freePort();
	const n8n = await createInstance({
		home: path.join(work, 'home'),
		extensionDir: prepareExtension(path.join(work, 'extension')),
		port,
	});
	const dataDir = path.join(n8n.filesDir, 'chorus-pro');
	const { deposits } = writeDemoFiles(dataDir);

	const deposit = example('deposit-factur-x-from-folder.json', dataDir);
	const submit = example('submit-pdf-invoices-from-spreadsheet.json', dataDir);
	const unpaid = example('daily-unpaid-invoices.json', dataDir);
	const notify = example('notify-invoice-status-changes.json', dataDir);
	const history = historyWorkflow();
	await n8n.importCredentials([sandboxCredential(sandbox)]);
	await n8n.importWorkflows([deposit, submit, unpaid, startingByHand(unpaid), notify, history]);

	let failed = false;
	const cleanUp = async () => {
		await sandbox.close();
	};

	if (headless) {
		try {
			failed = !(await runExamples(n8n, sandbox, deposits, history, startingByHand(unpaid)));
		} finally {
			await cleanUp();
		}
		say(failed ? '\nDemo FAILED.' : '\nDemo finished: every example ran end to end.');
		process.exit(failed ? 1 : 0);
	}

	const server = await n8n.start();
	await setupOwner(n8n.url);
	say('');
	say(`  n8n editor      ${n8n.url}`);
	say(`  Login           ${OWNER.email} / ${OWNER.password}`);
	say(`  Credential      "Chorus Pro sandbox" (environment Custom → ${sandbox.url})`);
	say(`  Workflows       the examples of examples/, ready to run; their files are in ${dataDir}`);
	say(`  Sandbox admin   ${sandbox.adminUrl}/ (change invoice statuses, inject faults)`);
	say(
		'  To use the real qualification platform, edit the credential: environment "Qualification (Sandbox)" and your PISTE and technical account.',
	);
	say('\nPress Ctrl+C to stop.');
	const stop = async () => {
		await server.stop();
		await cleanUp();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

/**
 * @param {Awaited<ReturnType<typeof createInstance>>} n8n @param {Awaited<ReturnType<typeof createSandbox>>} sandbox
 * @param {Array<{ number: string }>} deposits @param {any} history @param {any} unpaidNow
 */
async function runExamples(n8n, sandbox, deposits, history, unpaidNow) {
	let ok = true;
	/** @param {string} id @param {string} title */
	const execute = async (id, title) => {
		const result = await n8n.execute(id);
		say(`\n${result.ok ? '✔' : '✘'} ${title}`);
		if (!result.ok) {
			ok = false;
			say(
				`   ${(result.stdout + result.stderr)
					.split('\n')
					.filter((line) => /error|Error/.test(line))
					.slice(0, 5)
					.join('\n   ')}`,
			);
		}
		return result.run;
	};

	const depositRun = await execute(
		'chorusDepositFolder',
		'Deposit Factur-X invoices from a folder (examples/deposit-factur-x-from-folder.json)',
	);
	const deposited = itemsOf(depositRun, 'Deposit on Chorus Pro');
	for (const item of deposited) {
		const { summary, nomFichier } = item.json;
		say(
			`   ${nomFichier}  flux ${summary.fluxNumber}  ${summary.state} (${summary.stateLabel})  invoice id ${summary.invoiceIds.join(', ') || '-'}`,
		);
	}
	if (
		deposited.length !== deposits.length ||
		deposited.some((/** @type {any} */ item) => item.json.summary.isSuccess !== true)
	)
		ok = false;

	const submitRun = await execute(
		'chorusSubmitSheet',
		'Submit PDF invoices from a spreadsheet (examples/submit-pdf-invoices-from-spreadsheet.json)',
	);
	const submitted = itemsOf(submitRun, 'Submit to Chorus Pro');
	for (const item of submitted)
		say(
			`   ${item.json.numeroFacture} → invoice id ${item.json.identifiantFactureCPP}, ${item.json.summary.statusLabel}`,
		);
	if (submitted.length !== 2) ok = false;

	// The buyer processes the first deposited invoice: its history gets a few steps.
	const firstId = deposited[0]?.json.summary.invoiceIds[0];
	if (firstId) {
		await fetch(`${sandbox.adminUrl}/invoices/${firstId}/advance`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ until: 'MISE_EN_PAIEMENT' }),
		});
	}
	history.nodes[1].parameters.filters.invoiceNumber = deposits[0].number;
	await n8n.importWorkflows([history]);
	const historyRun = await execute(
		'chorusDemoHistory',
		`Where is invoice ${deposits[0].number}? (search + status history)`,
	);
	const [entry] = itemsOf(historyRun, 'Status history');
	if (!entry) ok = false;
	for (const step of entry?.json.summary.history ?? [])
		say(`   ${step.date}  ${step.status.padEnd(24)} ${step.statusLabel}`);

	const unpaidRun = await execute(
		unpaidNow.id,
		'Daily check of unpaid invoices (examples/daily-unpaid-invoices.json, run now)',
	);
	const found = itemsOf(unpaidRun, 'Unpaid invoices').length;
	const digest = itemsOf(unpaidRun, 'Daily digest')[0]?.json.line ?? [];
	say(`   ${found} invoices not paid yet; ${digest.length} blocked or late`);
	if (!unpaidRun) ok = false;

	say(
		`\nSandbox: ${sandbox.state.requests.length} requests received, ${sandbox.state.requests.filter((request) => request.path === '/api/oauth/token').length} PISTE token requested.`,
	);
	return ok;
}

main().catch((error) => {
	process.stderr.write(
		`\nDemo failed: ${error instanceof Error ? error.message : String(error)}\n`,
	);
	process.exit(1);
});
