// @ts-check
/**
 * `npm run bench`: how the Chorus Pro node does in a real n8n against the local sandbox, next to the same
 * jobs built with n8n's own HTTP Request node and next to a bare `fetch` loop (the floor). Not a test.
 *
 *   node scripts/bench.mjs [--latency-ms 20] [--invoices 5000] [--deposits 200] [--statuses 500]
 *                          [--file-mb 10] [--quick] [--keep]
 *
 * Variants, for each job:
 *   (a) node   Manual Trigger → Chorus Pro node (this package, loaded as a custom extension)
 *   (b) http   Manual Trigger → HTTP Request node (generic OAuth2 credential, client credentials,
 *              cpro-account header, JSON body; Return All with the node's pagination option)
 *   (c) fetch  a bare fetch loop in this process: one token, then the same requests one after the other
 * Jobs: search `--invoices` invoices with Return All (rechercher/fournisseur, pages of 1000), deposit
 * `--deposits` small UBL files (deposer/flux, without waiting), get the status of `--statuses` invoices
 * (consulter/fournisseur), and the memory of depositing one `--file-mb` MB Factur-X PDF with the node.
 * `--quick` divides the three workload sizes by 10 (explicit sizes still win).
 *
 * Measures: wall time of the Chorus / HTTP node from the run data (executionTime, not n8n's start-up);
 * requests and token requests from the sandbox request log (cleared before each run); peak memory of the
 * `n8n execute` process (maximum RSS from GNU time when it is on the PATH, else the highest VmHWM sampled
 * in /proc) minus the peak of an empty workflow. The RSS is also sampled during the measured node, to tell
 * the node's own share from n8n's work after it (saving and printing the run data).
 * Prints a table and writes `.artifacts/bench.json`. Work files go to the `bench` working folder next to the n8n cache (removed at the end
 * unless --keep).
 */
import { spawn, spawnSync } from 'node:child_process';
import {
	accessSync,
	constants,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

import {
	N8N_VERSION,
	NODE_VERSION,
	asCustomExtension,
	createInstance,
	ensureN8n,
	parseRun,
	prepareExtension,
	repoRoot,
	sandboxCredential,
	workDir,
} from './n8n.mjs';
import { makeFacturXPdf, makeUblXml } from '../test/sandbox/fixtures.mjs';
import { createSandbox } from '../test/sandbox/server.mjs';

/** Page size the node asks for (transport/services.ts MAX_PAGE_SIZE); the other variants use it too. */
const PAGE_SIZE = 1000;
const TOKEN_PATH = '/api/oauth/token';
const SEARCH_PATH = '/cpro/factures/v1/rechercher/fournisseur';
const DEPOSIT_PATH = '/cpro/factures/v1/deposer/flux';
const STATUS_PATH = '/cpro/factures/v1/consulter/fournisseur';
const UBL_SYNTAX = 'IN_DP_E1_UBL_INVOICE';
const FACTURX_SYNTAX = 'IN_DP_E2_CII_FACTURX';
/** Targets shown as pass / fail columns. */
const TARGETS = Object.freeze({ tokenRequests: 1, maxWallRatio: 1.3, maxMemoryRatio: 4 });
/** One `n8n execute` may not take longer than this. */
const RUN_TIMEOUT_MS = 5 * 60_000;
const MB = 1024 * 1024;

/** @param {string} message */
const log = (message) => process.stderr.write(`${message}\n`);

// ---------------------------------------------------------------------------------------------------------------
// Options

/**
 * @typedef {{ latencyMs: number, invoices: number, deposits: number, statuses: number, fileMb: number,
 *   quick: boolean, keep: boolean }} Settings
 */

/** @returns {Settings} */
function readSettings() {
	const { values } = parseArgs({
		options: {
			'latency-ms': { type: 'string' },
			invoices: { type: 'string' },
			deposits: { type: 'string' },
			statuses: { type: 'string' },
			'file-mb': { type: 'string' },
			quick: { type: 'boolean', default: false },
			keep: { type: 'boolean', default: false },
			help: { type: 'boolean', short: 'h', default: false },
		},
	});
	if (values.help) {
		log(
			'usage: node scripts/bench.mjs [--latency-ms 20] [--invoices 5000] [--deposits 200] [--statuses 500] [--file-mb 10] [--quick] [--keep]',
		);
		process.exit(0);
	}
	const scale = values.quick ? 10 : 1;
	/** @param {string | undefined} raw @param {string} name @param {number} fallback @param {number} min */
	const count = (raw, name, fallback, min) => {
		const value = raw === undefined ? fallback : Number(raw);
		if (!Number.isFinite(value) || value < min)
			throw new Error(`--${name} must be a number >= ${min}`);
		return value;
	};
	return {
		latencyMs: count(values['latency-ms'], 'latency-ms', 20, 0),
		invoices: Math.round(count(values.invoices, 'invoices', 5000 / scale, 1)),
		deposits: Math.round(count(values.deposits, 'deposits', 200 / scale, 1)),
		statuses: Math.round(count(values.statuses, 'statuses', 500 / scale, 1)),
		fileMb: count(values['file-mb'], 'file-mb', 10, 0.1),
		quick: values.quick === true,
		keep: values.keep === true,
	};
}

// ---------------------------------------------------------------------------------------------------------------
// Processes and memory

/** Processes (group leaders) started by this script and still running. */
const running = new Set();

/** Stops what this script started and is still running (each by its own process group). */
function stopRunning() {
	for (const child of running) {
		try {
			if (child.pid) process.kill(-child.pid, 'SIGKILL');
		} catch {
			// already gone
		}
	}
	running.clear();
}

/** GNU time on the PATH (its -v report has the maximum RSS of the process), or null. */
function findGnuTime() {
	for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
		if (!dir) continue;
		const candidate = path.join(dir, 'time');
		try {
			accessSync(candidate, constants.X_OK);
		} catch {
			continue;
		}
		const probe = spawnSync(candidate, ['-v', 'true'], { encoding: 'utf8' });
		if (probe.status === 0 && /Maximum resident set size/.test(probe.stderr)) return candidate;
	}
	return null;
}

/** @param {number} pid @returns {{ rssKb: number, hwmKb: number } | null} */
function readMemory(pid) {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		const rss = /^VmRSS:\s+(\d+)/m.exec(status);
		const hwm = /^VmHWM:\s+(\d+)/m.exec(status);
		return rss && hwm ? { rssKb: Number(rss[1]), hwmKb: Number(hwm[1]) } : null;
	} catch {
		return null;
	}
}

/** @param {number} pid @returns {number | null} the first child of `pid` (the program GNU time runs) */
function firstChild(pid) {
	try {
		const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/);
		return children[0] ? Number(children[0]) : null;
	} catch {
		return null;
	}
}

/**
 * @typedef {{ ok: boolean, run: any, stdout: string, stderr: string, peakKb: number | null,
 *   samples: Array<{ at: number, rssKb: number }>, memoryMethod: string, exit: string }} MeasuredRun
 */

/**
 * `n8n execute --id` with its memory measured: under GNU time when available (maximum RSS), with the
 * RSS of the n8n process sampled every 20 ms in both cases.
 * @param {Awaited<ReturnType<typeof createInstance>>} instance @param {string} workflowId @param {string | null} gnuTime
 * @returns {Promise<MeasuredRun>}
 */
async function executeMeasured(instance, workflowId, gnuTime) {
	const { nodeBin, n8nBin } = ensureN8n();
	const reportFile = path.join(instance.home, `time-${workflowId}.txt`);
	rmSync(reportFile, { force: true });
	const n8nArgs = [n8nBin, 'execute', `--id=${workflowId}`, '--rawOutput'];
	const [command, args] = gnuTime
		? [gnuTime, ['-v', '-o', reportFile, nodeBin, ...n8nArgs]]
		: [nodeBin, n8nArgs];
	const child = spawn(command, args, {
		env: instance.env,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	running.add(child);
	/** @type {Buffer[]} */
	const out = [];
	let stderr = '';
	child.stdout.on('data', (chunk) => out.push(chunk));
	child.stderr.on('data', (chunk) => (stderr += chunk));

	/** @type {Array<{ at: number, rssKb: number }>} */
	const samples = [];
	let sampledHwmKb = 0;
	/** @type {number | null} */
	let n8nPid = gnuTime ? null : (child.pid ?? null);
	const sampler = setInterval(() => {
		if (n8nPid === null && child.pid) n8nPid = firstChild(child.pid);
		if (n8nPid === null) return;
		const memory = readMemory(n8nPid);
		if (!memory) return;
		samples.push({ at: Date.now(), rssKb: memory.rssKb });
		sampledHwmKb = Math.max(sampledHwmKb, memory.hwmKb);
	}, 20);
	const timer = setTimeout(() => {
		log(`  n8n execute ${workflowId} took more than ${RUN_TIMEOUT_MS / 1000} s: stopped`);
		try {
			if (child.pid) process.kill(-child.pid, 'SIGKILL');
		} catch {
			// already gone
		}
	}, RUN_TIMEOUT_MS);
	/** @type {[number | null, string | null]} */
	const [exitCode, exitSignal] = await new Promise((resolve) =>
		child.on('close', (code, signal) => resolve([code, signal])),
	);
	clearTimeout(timer);
	clearInterval(sampler);
	running.delete(child);

	const stdout = Buffer.concat(out).toString('utf8');
	let peakKb = sampledHwmKb || null;
	let memoryMethod = 'VmHWM sampled every 20 ms';
	if (gnuTime && existsSync(reportFile)) {
		const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(
			readFileSync(reportFile, 'utf8'),
		);
		if (match) {
			peakKb = Number(match[1]);
			memoryMethod = 'maximum RSS reported by GNU time -v';
		}
	}
	const run = parseRun(stdout);
	// n8n 2.41 under Node 24 now and then dies of SIGSEGV while shutting down, after printing the complete
	// run data: the run counts when its data says it finished (the exit is kept in the results).
	const ok =
		run !== null &&
		run.finished === true &&
		run.status === 'success' &&
		!run.data?.resultData?.error;
	const exit =
		gnuTime && existsSync(reportFile)
			? (/Command terminated by signal (\d+)/.exec(readFileSync(reportFile, 'utf8'))?.[1] ?? null)
			: null;
	return {
		ok,
		run,
		stdout,
		stderr,
		peakKb,
		samples,
		memoryMethod,
		exit: exit ? `signal ${exit}` : exitSignal ? `signal ${exitSignal}` : `code ${exitCode}`,
	};
}

/**
 * Largest RSS sampled while `nodeName` ran, over the RSS just before it started (MB).
 * @param {MeasuredRun} measured @param {string} nodeName
 */
function inNodeExtraMb(measured, nodeName) {
	const task = measured.run?.data?.resultData?.runData?.[nodeName]?.[0];
	if (!task || !measured.samples.length) return null;
	const start = Number(task.startTime);
	const end = start + Number(task.executionTime);
	const before = measured.samples.filter((s) => s.at <= start).at(-1) ?? measured.samples[0];
	const during = measured.samples.filter((s) => s.at >= start && s.at <= end + 20);
	if (!during.length) return null;
	return (Math.max(...during.map((s) => s.rssKb)) - before.rssKb) / 1024;
}

// ---------------------------------------------------------------------------------------------------------------
// Sandbox helpers

/**
 * @param {Awaited<ReturnType<typeof createSandbox>>} sandbox @param {string} method @param {string} route
 * @param {unknown} [body]
 */
async function admin(sandbox, method, route, body) {
	const response = await fetch(`${sandbox.adminUrl}${route}`, {
		method,
		headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const answer = await response.json();
	if (!response.ok)
		throw new Error(
			`admin ${method} ${route} answered ${response.status}: ${JSON.stringify(answer)}`,
		);
	return answer;
}

/**
 * Requests counted since the log was cleared. The log keeps the last 1000 requests only, so the total also
 * comes from the sandbox's request sequence, and the tokens from its token store when the log overflowed.
 * @param {Awaited<ReturnType<typeof createSandbox>>} sandbox @param {{ seq: number, tokens: number }} mark
 */
async function countRequests(sandbox, mark) {
	const { requests } = await admin(sandbox, 'GET', '/requests');
	const total = sandbox.state.seq.request - mark.seq;
	const complete = requests.length >= total;
	const tokenRequests = complete
		? requests.filter((/** @type {any} */ r) => r.path === TOKEN_PATH).length
		: sandbox.state.tokens.size - mark.tokens;
	const failed = requests.filter((/** @type {any} */ r) => r.status >= 400).length;
	/** @type {Record<string, number>} */
	const byPath = {};
	for (const r of requests) byPath[r.path] = (byPath[r.path] ?? 0) + 1;
	const arrivals = requests.map((/** @type {any} */ r) => Date.parse(r.at)).filter(Number.isFinite);
	const firstAt = arrivals.length ? Math.min(...arrivals) : null;
	const lastAt = arrivals.length ? Math.max(...arrivals) : null;
	return { requests: total, tokenRequests, failed, byPath, logComplete: complete, firstAt, lastAt };
}

/**
 * When the requests reached the sandbox, relative to the measured node's start and end (ms): where the time
 * of a run goes (before the first request, between requests, after the last one).
 * @param {any} task run data of the node @param {{ firstAt: number | null, lastAt: number | null }} counted
 */
function timeline(task, counted) {
	if (!task || counted.firstAt === null || counted.lastAt === null) return null;
	const start = Number(task.startTime);
	const end = start + Number(task.executionTime);
	return {
		firstRequestAfterStartMs: counted.firstAt - start,
		lastRequestAfterStartMs: counted.lastAt - start,
		endAfterLastRequestMs: end - counted.lastAt,
	};
}

/** @param {Awaited<ReturnType<typeof createSandbox>>} sandbox */
async function clearLog(sandbox) {
	await admin(sandbox, 'DELETE', '/requests');
	return { seq: sandbox.state.seq.request, tokens: sandbox.state.tokens.size };
}

// ---------------------------------------------------------------------------------------------------------------
// Documents

/**
 * A Factur-X PDF of exactly `bytes` bytes: comment lines are inserted before `startxref`, after every object
 * and the cross-reference table, so no offset moves and the file stays a readable PDF.
 * @param {number} bytes
 */
function paddedFacturX(bytes) {
	const pdf = makeFacturXPdf({ number: 'BENCH-BIG-1' });
	const at = pdf.lastIndexOf('startxref');
	const missing = bytes - pdf.length;
	if (at < 0 || missing < 4) return pdf;
	const line = `%${'0123456789abcdef'.repeat(8)}\n`; // 130 bytes
	const lines = Math.floor((missing - 2) / line.length);
	const rest = missing - lines * line.length;
	const padding = Buffer.from(`${line.repeat(lines)}%${'x'.repeat(rest - 2)}\n`, 'latin1');
	return Buffer.concat([pdf.subarray(0, at), padding, pdf.subarray(at)]);
}

// ---------------------------------------------------------------------------------------------------------------
// Workflows

/** @param {string} name @param {string} type @param {number} typeVersion @param {number} x @param {object} parameters @param {object} [credentials] */
function node(name, type, typeVersion, x, parameters, credentials) {
	return {
		id: name.toLowerCase().replace(/\W+/g, '-'),
		name,
		type,
		typeVersion,
		position: [x, 0],
		parameters,
		...(credentials ? { credentials } : {}),
	};
}

/**
 * A workflow that runs `nodes` one after the other from a Manual Trigger.
 * @param {string} id @param {any[]} nodes
 */
function chain(id, nodes) {
	const all = [
		node('Start', 'n8n-nodes-base.manualTrigger', 1, 0, {}),
		...nodes.map((n, i) => ({ ...n, position: [220 * (i + 1), 0] })),
	];
	/** @type {Record<string, any>} */
	const connections = {};
	for (let i = 0; i + 1 < all.length; i++) {
		connections[all[i].name] = { main: [[{ node: all[i + 1].name, type: 'main', index: 0 }]] };
	}
	return asCustomExtension({
		id,
		name: `bench ${id}`,
		active: false,
		nodes: all,
		connections,
		settings: { executionOrder: 'v1' },
	});
}

/** The measured node of every (a) and (b) workflow. */
const MEASURED = 'Measured';

/** @param {string} credentialId @param {object} parameters */
function chorusNode(credentialId, parameters) {
	return node(MEASURED, 'n8n-nodes-chorus-pro.chorusPro', 1, 0, parameters, {
		chorusProApi: { id: credentialId, name: credentialId },
	});
}

/**
 * An HTTP Request node (4.5) with the generic OAuth2 credential, the cpro-account header and a JSON body.
 * @param {string} credentialId @param {string} url @param {string} cproAccount @param {string} jsonBody @param {object} [options]
 */
function httpNode(credentialId, url, cproAccount, jsonBody, options = {}) {
	return node(
		MEASURED,
		'n8n-nodes-base.httpRequest',
		4.5,
		0,
		{
			method: 'POST',
			url,
			authentication: 'genericCredentialType',
			genericAuthType: 'oAuth2Api',
			sendHeaders: true,
			specifyHeaders: 'keypair',
			headerParameters: { parameters: [{ name: 'cpro-account', value: cproAccount }] },
			sendBody: true,
			contentType: 'json',
			specifyBody: 'json',
			jsonBody,
			options,
		},
		{ oAuth2Api: { id: credentialId, name: credentialId } },
	);
}

/** @param {string} id @param {{ tokenUrl: string, credentials: { clientId: string, clientSecret: string } }} sandbox */
function oauthCredential(id, sandbox) {
	return {
		id,
		name: id,
		type: 'oAuth2Api',
		data: {
			useDynamicClientRegistration: false,
			grantType: 'clientCredentials',
			accessTokenUrl: sandbox.tokenUrl,
			clientId: sandbox.credentials.clientId,
			clientSecret: sandbox.credentials.clientSecret,
			scope: 'openid',
			authentication: 'body',
		},
	};
}

// ---------------------------------------------------------------------------------------------------------------
// (c) the bare fetch loop

/**
 * One token, then `work` with a `post` helper that sends one request and checks the Chorus envelope.
 * @param {Awaited<ReturnType<typeof createSandbox>>} sandbox
 * @param {(post: (route: string, body: object) => Promise<any>) => Promise<number>} work returns the items it got
 */
async function bareLoop(sandbox, work) {
	const started = performance.now();
	const tokenResponse = await fetch(sandbox.tokenUrl, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
		body: new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: sandbox.credentials.clientId,
			client_secret: sandbox.credentials.clientSecret,
			scope: 'openid',
		}),
	});
	const { access_token: token } = await tokenResponse.json();
	const { technicalLogin, technicalPassword } = sandbox.credentials;
	const headers = {
		Authorization: `Bearer ${token}`,
		'cpro-account': Buffer.from(`${technicalLogin}:${technicalPassword}`, 'utf8').toString(
			'base64',
		),
		'Content-Type': 'application/json;charset=utf-8',
		Accept: 'application/json;charset=utf-8',
	};
	/** @param {string} route @param {object} body */
	const post = async (route, body) => {
		const response = await fetch(`${sandbox.apiBaseUrl}${route}`, {
			method: 'POST',
			headers,
			body: JSON.stringify(body),
		});
		const answer = await response.json();
		if (!response.ok || (answer.codeRetour !== 0 && answer.codeRetour !== 20000)) {
			throw new Error(
				`${route} answered ${response.status}: ${JSON.stringify(answer).slice(0, 300)}`,
			);
		}
		return answer;
	};
	const items = await work(post);
	return { wallMs: performance.now() - started, items };
}

// ---------------------------------------------------------------------------------------------------------------
// Report

/**
 * @typedef {{ job: string, variant: 'a' | 'b' | 'c', label: string, ok: boolean, error?: string, items: number | null,
 *   expectedItems: number, wallMs: number | null, ratioToBare: number | null, requests: number | null,
 *   minRequests: number, tokenRequests: number | null, failedRequests: number | null, peakMb: number | null,
 *   peakExtraMb: number | null, inNodeExtraMb: number | null, memoryRatio?: number | null,
 *   byPath?: Record<string, number>, exit?: string, timeline?: object | null, pass: Record<string, boolean | null> }} Result
 */

/** @param {number | null | undefined} value @param {number} [digits] */
const num = (value, digits = 0) =>
	value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
/** @param {boolean | null | undefined} value */
const verdict = (value) => (value === null || value === undefined ? '—' : value ? 'pass' : 'FAIL');

/** @param {Result[]} results @param {number} fileBytes */
function table(results, fileBytes) {
	const header = [
		'job',
		'variant',
		'wall ms',
		'× (c)',
		'requests',
		'tokens',
		'peak extra MB',
		'in node MB',
		'tokens = 1',
		'min requests',
		`wall ≤ ${TARGETS.maxWallRatio}× (c)`,
		`memory < ${TARGETS.maxMemoryRatio}× file`,
	];
	const rows = results.map((r) => [
		r.job,
		r.label,
		r.ok ? num(r.wallMs) : 'error',
		r.ok ? num(r.ratioToBare, 2) : '—',
		r.requests === null ? '—' : `${r.requests} / ${r.minRequests}`,
		num(r.tokenRequests),
		r.memoryRatio !== undefined && r.memoryRatio !== null
			? `${num(r.peakExtraMb, 1)} (${num(r.memoryRatio, 2)}×)`
			: num(r.peakExtraMb, 1),
		num(r.inNodeExtraMb, 1),
		verdict(r.pass.tokens),
		verdict(r.pass.requests),
		verdict(r.pass.wall),
		verdict(r.pass.memory),
	]);
	const widths = header.map((h, i) =>
		Math.max(h.length, ...rows.map((row) => String(row[i]).length)),
	);
	const line = (/** @type {string[]} */ cells) =>
		cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
	const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
	out.push('');
	out.push(
		`requests = counted / minimum (pages of ${PAGE_SIZE}, or one per item, + 1 token); memory ratio = peak extra / file size (${num(fileBytes / MB, 1)} MB)`,
	);
	return out.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Main

async function main() {
	const settings = readSettings();
	const gnuTime = findGnuTime();
	const benchRoot = workDir('bench');
	mkdirSync(benchRoot, { recursive: true });
	const work = mkdtempSync(path.join(benchRoot, 'run-'));
	/** @type {Awaited<ReturnType<typeof createSandbox>> | null} */
	let sandbox = null;

	const interrupted = () => {
		stopRunning();
		if (!settings.keep) rmSync(work, { recursive: true, force: true });
		process.exit(130);
	};
	process.once('SIGINT', interrupted);
	process.once('SIGTERM', interrupted);

	try {
		const loadAtStart = os.loadavg()[0];
		log(
			`bench: latency ${settings.latencyMs} ms per request; ${settings.invoices} invoices, ${settings.deposits} deposits, ${settings.statuses} statuses, ${settings.fileMb} MB file`,
		);
		ensureN8n();
		const extension = prepareExtension(path.join(work, 'extension'));
		sandbox = await createSandbox({ port: 0, latencyMs: 0 });
		const sb = sandbox;
		const instance = await createInstance({
			home: path.join(work, 'n8n'),
			extensionDir: extension,
			// `n8n execute` prints the run data at the info level.
			env: { N8N_LOG_LEVEL: 'info' },
		});

		// Data: the supplier's invoices (the only ones of a fresh sandbox, so Return All reads exactly these),
		// the invoices whose status is read, the files to deposit.
		const searchBatch = await admin(sb, 'POST', '/invoices/bulk', {
			count: settings.invoices,
			statut: 'MISE_A_DISPOSITION',
			prefix: 'BENCH-S-',
		});
		const depositDir = path.join(instance.filesDir, 'deposits');
		mkdirSync(depositDir, { recursive: true });
		for (let i = 1; i <= settings.deposits; i++) {
			const number = `BENCH-D-${String(i).padStart(6, '0')}`;
			writeFileSync(path.join(depositDir, `${number}.xml`), makeUblXml({ number }));
		}
		const fileBytes = Math.round(settings.fileMb * MB);
		const bigDir = path.join(instance.filesDir, 'big');
		mkdirSync(bigDir, { recursive: true });
		const bigPdf = paddedFacturX(fileBytes);
		writeFileSync(path.join(bigDir, 'facture-x-big.pdf'), bigPdf);

		const { technicalLogin, technicalPassword } = sb.credentials;
		const cproAccount = Buffer.from(`${technicalLogin}:${technicalPassword}`, 'utf8').toString(
			'base64',
		);
		const api = sb.apiBaseUrl;

		// One credential per run, so that every run starts without a token, as a first run does.
		const credentials = [
			...['search', 'deposit', 'status', 'big', 'big-given'].map((job) =>
				sandboxCredential(sb, `chorus-${job}`, `chorus-${job}`),
			),
			...['search', 'deposit', 'status'].map((job) => oauthCredential(`oauth-${job}`, sb)),
		];
		const readDeposits = node('Read files', 'n8n-nodes-base.readWriteFile', 1.1, 0, {
			operation: 'read',
			fileSelector: path.join(depositDir, '*.xml'),
			options: {},
		});
		const readBig = node('Read file', 'n8n-nodes-base.readWriteFile', 1.1, 0, {
			operation: 'read',
			fileSelector: path.join(bigDir, '*.pdf'),
			options: {},
		});
		/** @param {number} first @param {number} count */
		const invoiceIds = (first, count) =>
			node('Invoice ids', 'n8n-nodes-base.code', 2, 0, {
				mode: 'runOnceForAllItems',
				jsCode: `const first = ${first};\nreturn Array.from({ length: ${count} }, (_, i) => ({ json: { invoiceId: String(first + i) } }));`,
			});

		/** @type {number} */
		let firstStatusId = searchBatch.firstId;
		const workflows = () => [
			chain('baseline', []),
			chain('baseline-read', [readBig]),
			chain('a-search', [
				chorusNode('chorus-search', {
					resource: 'invoice',
					operation: 'search',
					returnAll: true,
					filters: {},
					sort: {},
				}),
			]),
			chain('b-search', [
				httpNode(
					'oauth-search',
					`${api}${SEARCH_PATH}`,
					cproAccount,
					JSON.stringify({
						rechercheFactureParFournisseur: {
							pageResultatDemandee: 1,
							nbResultatsParPage: PAGE_SIZE,
						},
					}),
					{
						pagination: {
							pagination: {
								paginationMode: 'updateAParameterInEachRequest',
								parameters: {
									parameters: [
										{
											type: 'body',
											name: 'rechercheFactureParFournisseur',
											value: `={{ { "pageResultatDemandee": $pageCount + 1, "nbResultatsParPage": ${PAGE_SIZE} } }}`,
										},
									],
								},
								paginationCompleteWhen: 'other',
								completeExpression:
									'={{ !$response.body.parametresRetour || $response.body.parametresRetour.pageCourante >= $response.body.parametresRetour.pages }}',
							},
						},
					},
				),
			]),
			chain('a-deposit', [
				readDeposits,
				chorusNode('chorus-deposit', {
					resource: 'invoice',
					operation: 'deposit',
					binaryPropertyName: 'data',
					syntax: UBL_SYNTAX,
					waitForProcessing: false,
					options: {},
				}),
			]),
			chain('b-deposit', [
				readDeposits,
				node('To base64', 'n8n-nodes-base.extractFromFile', 1.1, 0, {
					operation: 'binaryToPropery',
					binaryPropertyName: 'data',
					destinationKey: 'fichierFlux',
					options: { keepSource: 'json' },
				}),
				httpNode(
					'oauth-deposit',
					`${api}${DEPOSIT_PATH}`,
					cproAccount,
					`={{ JSON.stringify({ fichierFlux: $json.fichierFlux, nomFichier: $json.fileName, syntaxeFlux: "${UBL_SYNTAX}", avecSignature: false }) }}`,
				),
			]),
			chain('a-status', [
				invoiceIds(firstStatusId, settings.statuses),
				chorusNode('chorus-status', {
					resource: 'invoice',
					operation: 'get',
					invoiceId: '={{ $json.invoiceId }}',
				}),
			]),
			chain('b-status', [
				invoiceIds(firstStatusId, settings.statuses),
				httpNode(
					'oauth-status',
					`${api}${STATUS_PATH}`,
					cproAccount,
					'={{ JSON.stringify({ identifiantFactureCPP: Number($json.invoiceId), codeLangue: "FR" }) }}',
				),
			]),
			chain('a-big', [
				readBig,
				chorusNode('chorus-big', {
					resource: 'invoice',
					operation: 'deposit',
					binaryPropertyName: 'data',
					syntax: 'auto',
					waitForProcessing: false,
					options: {},
				}),
			]),
			chain('a-big-given', [
				readBig,
				chorusNode('chorus-big-given', {
					resource: 'invoice',
					operation: 'deposit',
					binaryPropertyName: 'data',
					syntax: FACTURX_SYNTAX,
					waitForProcessing: false,
					options: {},
				}),
			]),
		];
		// The status job reads invoices of the search batch; a larger status job gets its own batch, created
		// after the search runs (so that Return All still reads `--invoices` invoices).
		const statusNeedsOwnBatch = settings.statuses > settings.invoices;

		log('importing credentials and workflows into n8n...');
		await instance.importCredentials(credentials);
		await instance.importWorkflows(workflows());

		// Memory baseline: the peak of an empty workflow (median of three runs).
		log(`memory baseline: empty workflow x3 (${gnuTime ? 'GNU time -v' : 'VmHWM sampling'})`);
		/** @type {number[]} */
		const baselineKbs = [];
		/** @type {string[]} */
		const baselineExits = [];
		let memoryMethod = '';
		for (let i = 0; i < 3; i++) {
			const measured = await executeMeasured(instance, 'baseline', gnuTime);
			if (!measured.ok || measured.peakKb === null)
				throw new Error(
					`the empty workflow failed\n${measured.stdout.slice(-2000)}${measured.stderr.slice(-2000)}`,
				);
			baselineKbs.push(measured.peakKb);
			baselineExits.push(measured.exit);
			memoryMethod = measured.memoryMethod;
		}
		const baselineKb = [...baselineKbs].sort((x, y) => x - y)[1];
		log(
			`  peaks ${baselineKbs.map((kb) => (kb / 1024).toFixed(1)).join(', ')} MB → baseline ${(baselineKb / 1024).toFixed(1)} MB`,
		);

		await admin(sb, 'POST', '/config', { latencyMs: settings.latencyMs });

		/** @type {Result[]} */
		const results = [];
		/**
		 * @param {string} job @param {number} expectedItems @param {number} minRequests
		 * @param {(post: (route: string, body: object) => Promise<any>) => Promise<number>} bare
		 * @param {string} workflowA @param {string} workflowB @param {(run: any) => number} countB
		 */
		const runJob = async (job, expectedItems, minRequests, bare, workflowA, workflowB, countB) => {
			// Warm the sandbox up first (JIT, sockets), then the floor, then the two n8n variants.
			await bareLoop(sb, async (post) => {
				await post(STATUS_PATH, { identifiantFactureCPP: firstStatusId, codeLangue: 'FR' });
				await post(SEARCH_PATH, {
					rechercheFactureParFournisseur: {
						pageResultatDemandee: 1,
						nbResultatsParPage: PAGE_SIZE,
					},
				});
				return 0;
			});
			log(`${job}: (c) bare fetch loop`);
			let mark = await clearLog(sb);
			/** @type {Result} */
			let bareResult;
			try {
				const { wallMs, items } = await bareLoop(sb, bare);
				const counted = await countRequests(sb, mark);
				bareResult = {
					job,
					variant: 'c',
					label: '(c) fetch',
					ok: items === expectedItems,
					items,
					expectedItems,
					wallMs,
					ratioToBare: 1,
					requests: counted.requests,
					minRequests,
					tokenRequests: counted.tokenRequests,
					failedRequests: counted.failed,
					peakMb: null,
					peakExtraMb: null,
					inNodeExtraMb: null,
					byPath: counted.byPath,
					pass: {},
				};
			} catch (error) {
				bareResult = {
					job,
					variant: 'c',
					label: '(c) fetch',
					ok: false,
					error: String(error),
					items: null,
					expectedItems,
					wallMs: null,
					ratioToBare: null,
					requests: null,
					minRequests,
					tokenRequests: null,
					failedRequests: null,
					peakMb: null,
					peakExtraMb: null,
					inNodeExtraMb: null,
					pass: {},
				};
			}
			results.push(bareResult);
			for (const [variant, workflowId, label, count] of /** @type {const} */ ([
				[
					'a',
					workflowA,
					'(a) node',
					(/** @type {any} */ run) => run.data.resultData.runData[MEASURED][0].data.main[0].length,
				],
				['b', workflowB, '(b) http', countB],
			])) {
				log(`${job}: ${label} (n8n execute ${workflowId})`);
				mark = await clearLog(sb);
				const measured = await executeMeasured(instance, workflowId, gnuTime);
				const counted = await countRequests(sb, mark);
				const task = measured.run?.data?.resultData?.runData?.[MEASURED]?.[0];
				let items = null;
				try {
					items = measured.ok ? count(measured.run) : null;
				} catch {
					items = null;
				}
				const wallMs = task ? Number(task.executionTime) : null;
				const error = measured.ok
					? items === expectedItems
						? undefined
						: `${items} items instead of ${expectedItems}`
					: String(
							measured.run?.data?.resultData?.error?.message ??
								(measured.stderr.trim().split('\n').slice(-3).join(' ') ||
									measured.stdout.trim().split('\n').slice(-3).join(' ')),
						);
				if (error) log(`  ${label}: ${error}`);
				results.push({
					job,
					variant,
					label,
					ok: !error,
					...(error ? { error } : {}),
					items,
					expectedItems,
					wallMs,
					ratioToBare: wallMs !== null && bareResult.wallMs ? wallMs / bareResult.wallMs : null,
					requests: counted.requests,
					minRequests,
					tokenRequests: counted.tokenRequests,
					failedRequests: counted.failed,
					peakMb: measured.peakKb === null ? null : measured.peakKb / 1024,
					peakExtraMb: measured.peakKb === null ? null : (measured.peakKb - baselineKb) / 1024,
					inNodeExtraMb: inNodeExtraMb(measured, MEASURED),
					byPath: counted.byPath,
					timeline: timeline(task, counted),
					exit: measured.exit,
					pass: {},
				});
			}
		};

		// (1) search with Return All
		const pages = Math.ceil(settings.invoices / PAGE_SIZE);
		await runJob(
			`search ${settings.invoices}`,
			settings.invoices,
			pages + 1,
			async (post) => {
				let got = 0;
				for (let page = 1; ; page++) {
					const answer = await post(SEARCH_PATH, {
						rechercheFactureParFournisseur: {
							pageResultatDemandee: page,
							nbResultatsParPage: PAGE_SIZE,
						},
					});
					got += (answer.listeFactures ?? []).length;
					const paging = answer.parametresRetour ?? {};
					if (!paging.pages || paging.pageCourante >= paging.pages) return got;
				}
			},
			'a-search',
			'b-search',
			(run) =>
				run.data.resultData.runData[MEASURED][0].data.main[0].reduce(
					(/** @type {number} */ sum, /** @type {any} */ item) =>
						sum + (item.json.listeFactures ?? []).length,
					0,
				),
		);

		// (2) deposits of small UBL files, without waiting
		const depositFiles = Array.from(
			{ length: settings.deposits },
			(_, i) => `BENCH-D-${String(i + 1).padStart(6, '0')}.xml`,
		);
		const deposited = (/** @type {any} */ run) =>
			run.data.resultData.runData[MEASURED][0].data.main[0].filter(
				(/** @type {any} */ item) => item.json.numeroFluxDepot,
			).length;
		await runJob(
			`deposit ${settings.deposits}`,
			settings.deposits,
			settings.deposits + 1,
			async (post) => {
				let got = 0;
				for (const name of depositFiles) {
					const data = await readFile(path.join(depositDir, name));
					const answer = await post(DEPOSIT_PATH, {
						fichierFlux: data.toString('base64'),
						nomFichier: name,
						syntaxeFlux: UBL_SYNTAX,
						avecSignature: false,
					});
					if (answer.numeroFluxDepot) got++;
				}
				return got;
			},
			'a-deposit',
			'b-deposit',
			deposited,
		);

		// (3) status of invoices, one item per invoice id
		if (statusNeedsOwnBatch) {
			const statusBatch = await admin(sb, 'POST', '/invoices/bulk', {
				count: settings.statuses,
				statut: 'MISE_A_DISPOSITION',
				prefix: 'BENCH-T-',
			});
			firstStatusId = statusBatch.firstId;
			await instance.importWorkflows(workflows().filter((w) => w.id.endsWith('-status')));
		}
		const withStatus = (/** @type {any} */ run) =>
			run.data.resultData.runData[MEASURED][0].data.main[0].filter(
				(/** @type {any} */ item) => item.json.statutFacture ?? item.json.facture?.statutFacture,
			).length;
		await runJob(
			`status ${settings.statuses}`,
			settings.statuses,
			settings.statuses + 1,
			async (post) => {
				let got = 0;
				for (let i = 0; i < settings.statuses; i++) {
					const answer = await post(STATUS_PATH, {
						identifiantFactureCPP: firstStatusId + i,
						codeLangue: 'FR',
					});
					if (answer.facture?.statutFacture) got++;
				}
				return got;
			},
			'a-status',
			'b-status',
			withStatus,
		);

		// (4) memory of one large deposit with the node: with the node's default (format detected from the
		// content), then with the format given; reading the file alone is measured too.
		log(
			`deposit of one ${settings.fileMb} MB Factur-X PDF: reading it alone, then (a) node (format detected, then given)`,
		);
		const readOnly = await executeMeasured(instance, 'baseline-read', gnuTime);
		for (const [workflowId, label] of [
			['a-big', '(a) node'],
			['a-big-given', '(a) node, format given'],
		]) {
			const mark = await clearLog(sb);
			const big = await executeMeasured(instance, workflowId, gnuTime);
			const counted = await countRequests(sb, mark);
			const task = big.run?.data?.resultData?.runData?.[MEASURED]?.[0];
			const ok = big.ok && task?.data?.main?.[0]?.[0]?.json?.numeroFluxDepot !== undefined;
			const extraMb = big.peakKb === null ? null : (big.peakKb - baselineKb) / 1024;
			results.push({
				job: `deposit 1 × ${settings.fileMb} MB PDF`,
				variant: 'a',
				label,
				ok,
				...(ok
					? {}
					: { error: String(big.run?.data?.resultData?.error?.message ?? big.stderr.slice(-500)) }),
				items: ok ? 1 : 0,
				expectedItems: 1,
				wallMs: task ? Number(task.executionTime) : null,
				ratioToBare: null,
				requests: counted.requests,
				minRequests: 2,
				tokenRequests: counted.tokenRequests,
				failedRequests: counted.failed,
				peakMb: big.peakKb === null ? null : big.peakKb / 1024,
				peakExtraMb: extraMb,
				inNodeExtraMb: inNodeExtraMb(big, MEASURED),
				memoryRatio: extraMb === null ? null : (extraMb * MB) / fileBytes,
				byPath: counted.byPath,
				timeline: timeline(task, counted),
				exit: big.exit,
				pass: {},
			});
		}

		// Verdicts
		for (const r of results) {
			r.pass.tokens = r.tokenRequests === null ? null : r.tokenRequests === TARGETS.tokenRequests;
			r.pass.requests = r.requests === null ? null : r.requests === r.minRequests;
			r.pass.wall =
				r.variant === 'c' || r.ratioToBare === null ? null : r.ratioToBare <= TARGETS.maxWallRatio;
			r.pass.memory =
				r.memoryRatio === undefined || r.memoryRatio === null
					? null
					: r.memoryRatio < TARGETS.maxMemoryRatio;
			if (!r.ok)
				for (const key of Object.keys(r.pass)) if (r.pass[key] === true) r.pass[key] = false;
		}

		const report = {
			settings: { ...settings, pageSize: PAGE_SIZE, fileBytes },
			environment: {
				n8n: N8N_VERSION,
				n8nNode: NODE_VERSION,
				benchNode: process.versions.node,
				platform: `${process.platform}-${process.arch}`,
				cpus: os.cpus().length,
				memoryMethod,
				// Other work on the machine slows the n8n variants (several processes) more than the bare loop.
				loadAverage1m: { start: loadAtStart, end: os.loadavg()[0] },
			},
			targets: TARGETS,
			memory: {
				baselineMb: baselineKb / 1024,
				baselineRunsMb: baselineKbs.map((kb) => kb / 1024),
				baselineRunsExit: baselineExits,
				readFileOnlyExtraMb:
					readOnly.peakKb === null ? null : (readOnly.peakKb - baselineKb) / 1024,
				note: 'peak extra = peak of the n8n execute process minus the median peak of an empty workflow; in node = highest RSS sampled while the measured node ran minus the RSS just before it',
			},
			notes: [
				'(b) runs the HTTP Request node with its defaults: every input item is sent at once (no batching), and its Return All gives one item per page.',
				'(b) deposit reads the files with Extract From File (to base64) before the HTTP Request node; only the HTTP Request node is timed.',
				'The large deposit runs twice: with the node default (format detected from the content), then with the format given.',
			],
			results,
		};
		const artifacts = path.join(repoRoot, '.artifacts');
		mkdirSync(artifacts, { recursive: true });
		writeFileSync(path.join(artifacts, 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);

		console.log('');
		console.log(
			`Chorus Pro node benchmark: n8n ${N8N_VERSION} (Node ${NODE_VERSION}), sandbox latency ${settings.latencyMs} ms per request`,
		);
		console.log(
			`memory baseline (empty workflow): ${(baselineKb / 1024).toFixed(1)} MB [${baselineKbs.map((kb) => (kb / 1024).toFixed(1)).join(', ')}], ${memoryMethod}; reading the ${settings.fileMb} MB file alone: ${num(report.memory.readFileOnlyExtraMb, 1)} MB extra`,
		);
		console.log('');
		console.log(table(results, fileBytes));
		// Measured before this script started anything: the bench itself keeps one or two CPUs busy.
		if (loadAtStart > os.cpus().length * 0.5)
			console.log(
				`note: the machine was already busy when the bench started (load average ${loadAtStart.toFixed(1)} on ${os.cpus().length} CPUs): wall times of the n8n variants are inflated`,
			);
		for (const r of results.filter((x) => !x.ok))
			console.log(`! ${r.job} ${r.label}: ${r.error ?? 'failed'}`);
		console.log(
			`\nresults: ${path.relative(process.cwd(), path.join(artifacts, 'bench.json')) || path.join(artifacts, 'bench.json')}`,
		);
	} finally {
		stopRunning();
		if (sandbox) await sandbox.close();
		if (!settings.keep) rmSync(work, { recursive: true, force: true });
		else log(`work files kept in ${path.relative(process.cwd(), work)}`);
	}
}

main().catch((error) => {
	stopRunning();
	console.error(error instanceof Error ? (error.stack ?? error.message) : error);
	process.exit(1);
});
