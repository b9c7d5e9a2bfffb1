// @ts-check
/**
 * How the benchmark measures: a run of an n8n workflow on a running `n8n start` (wall time of the
 * measured node from the execution n8n saved), a run as its own `n8n execute` process (peak RSS),
 * the requests the sandbox saw, and the bare `fetch` floors.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
	accessSync,
	closeSync,
	constants,
	existsSync,
	openSync,
	readFileSync,
	rmSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

import { ensureN8n, parseRun, setupOwner } from '../n8n.mjs';

/** Loaded into each memory run: samples the process's Buffers and heap from inside. */
const PROBE = fileURLToPath(new URL('./memory-probe.mjs', import.meta.url));
/** One run may not take longer than this. */
const RUN_TIMEOUT_MS = 5 * 60_000;
const TOKEN_PATH = '/api/oauth/token';

/** @param {string} message */
export const log = (message) =>
	process.stderr.write(`[${String(Math.round(process.uptime())).padStart(4)} s] ${message}\n`);
/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @typedef {import('../../sandbox/server.mjs').Sandbox} Sandbox */
/** @typedef {Awaited<ReturnType<typeof import('../n8n.mjs').createInstance>>} Instance */
/**
 * What one run of a workflow gave: the measured node's task from the run data, its output items.
 * @typedef {{ ok: boolean, error?: string, wallMs: number | null, startedAt: number | null,
 *   items: any[] }} NodeRun
 */

/** @param {any} run the run data (IRun) @param {string} nodeName @returns {NodeRun} */
function nodeRun(run, nodeName) {
	const task = run?.data?.resultData?.runData?.[nodeName]?.[0];
	const error = run?.data?.resultData?.error?.message ?? task?.error?.message;
	return {
		ok: Boolean(task) && !error && run.status === 'success',
		...(error || !task ? { error: String(error ?? `${nodeName} did not run`) } : {}),
		wallMs: task ? Number(task.executionTime) : null,
		startedAt: task ? Number(task.startTime) : null,
		items: task?.data?.main?.[0] ?? [],
	};
}

// ---------------------------------------------------------------------------------------------
// n8n as a server: every timed run is a webhook call to one `n8n start`

/**
 * Starts n8n (with `env` added to its environment), makes its owner (to read executions) and
 * publishes `workflowIds`.
 * @param {Instance} instance @param {string[]} workflowIds @param {string} nodeName
 * @param {Record<string, string>} [env]
 */
export async function startServer(instance, workflowIds, nodeName, env = {}) {
	const server = await instance.start({ env });
	const { parse } = createRequire(ensureN8n().n8nBin)('flatted');
	const cookie = await setupOwner(instance.url);
	/** @param {string} route @param {object} [body] */
	const rest = async (route, body) => {
		const response = await fetch(`${instance.url}/rest${route}`, {
			method: body ? 'POST' : 'GET',
			headers: { cookie, ...(body ? { 'Content-Type': 'application/json' } : {}) },
			body: body ? JSON.stringify(body) : undefined,
		});
		const answer = await response.json();
		if (!response.ok) throw new Error(`n8n ${route} answered ${response.status}`);
		return answer.data;
	};
	for (const id of workflowIds) {
		const { versionId } = await rest(`/workflows/${id}`);
		await rest(`/workflows/${id}/activate`, { versionId });
	}
	return {
		pid: server.child.pid ?? null,
		stop: () => server.stop(),
		/**
		 * Runs a workflow (each is run once) and reads back the execution n8n saved.
		 * @param {string} id @param {object} body @returns {Promise<NodeRun>}
		 */
		async run(id, body) {
			// A webhook is registered shortly after its publication: 404 until then.
			for (let attempt = 0; ; attempt++) {
				const response = await fetch(`${instance.url}/webhook/${id}`, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json' },
					body: JSON.stringify(body),
					signal: AbortSignal.timeout(RUN_TIMEOUT_MS),
				});
				await response.arrayBuffer();
				if (response.status !== 404 || attempt >= 40) break;
				await sleep(250);
			}
			const filter = encodeURIComponent(JSON.stringify({ workflowId: id }));
			for (let attempt = 0; attempt < 200; attempt++) {
				const [execution] = (await rest(`/executions?filter=${filter}`)).results ?? [];
				if (execution && !['new', 'running', 'waiting'].includes(execution.status)) {
					const details = await rest(`/executions/${execution.id}`);
					return nodeRun({ status: details.status, data: parse(details.data) }, nodeName);
				}
				await sleep(100);
			}
			return {
				ok: false,
				error: 'no finished execution',
				wallMs: null,
				startedAt: null,
				items: [],
			};
		},
	};
}

// ---------------------------------------------------------------------------------------------
// n8n as a process: memory runs

/** Processes (group leaders) started here and still running. */
const running = new Set();

/** Stops what this module started and is still running, each by its own process group. */
export function stopRunning() {
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
export function findGnuTime() {
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

/** @param {number} pid @returns {number | null} the first child of `pid` (what GNU time runs) */
function firstChild(pid) {
	try {
		const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/);
		return children[0] ? Number(children[0]) : null;
	} catch {
		return null;
	}
}

/**
 * @typedef {NodeRun & { peakKb: number | null, processPeakKb: number | null,
 *   rises: Record<string, number | null>, buffers: Record<string, number | null>,
 *   heap: Record<string, number | null>, method: string, exit: string, log: string }} MemoryRun
 */

/**
 * `n8n execute --id` as a process of its own. Its RSS and high-water mark are sampled every 20 ms:
 * `peakKb` is the high-water mark when the measured node ended (before n8n saves and prints the run
 * data, which for a base64 item is itself a copy or two of it), `processPeakKb` the peak of the whole
 * process (GNU time's maximum RSS when on the PATH), `rises` for each node the highest RSS while it
 * ran over the RSS just before it; `buffers` and `heap` the same for the process's Buffers and
 * JavaScript heap, sampled every 5 ms from inside by memory-probe.mjs.
 * @param {Instance} instance @param {string} workflowId @param {string} nodeName @param {string | null} gnuTime
 * @returns {Promise<MemoryRun>}
 */
export async function executeMeasured(instance, workflowId, nodeName, gnuTime) {
	const { nodeBin, n8nBin } = ensureN8n();
	const report = path.join(instance.home, `time-${workflowId}.txt`);
	// The run data goes to a file: through a pipe, n8n may exit before a large one is written out.
	const output = path.join(instance.home, `run-${workflowId}.json`);
	rmSync(report, { force: true });
	const n8nArgs = [n8nBin, 'execute', `--id=${workflowId}`, '--rawOutput'];
	const [command, args] = gnuTime
		? [gnuTime, ['-v', '-o', report, nodeBin, ...n8nArgs]]
		: [nodeBin, n8nArgs];
	const fd = openSync(output, 'w');
	const probe = path.join(instance.home, `probe-${workflowId}.txt`);
	rmSync(probe, { force: true });
	// `n8n execute` prints the run data at the info level. The probe samples its memory from inside.
	const env = {
		...instance.env,
		N8N_LOG_LEVEL: 'info',
		NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${pathToFileURL(PROBE).href}`.trim(),
		BENCH_MEMORY_PROBE: probe,
	};
	const child = spawn(command, args, { env, stdio: ['ignore', fd, 'pipe'], detached: true });
	closeSync(fd);
	running.add(child);
	let stderr = '';
	child.stderr?.on('data', (chunk) => (stderr = `${stderr}${chunk}`.slice(-4000)));
	/** @type {Array<{ at: number, rssKb: number, hwmKb: number }>} */
	const samples = [];
	let n8nPid = gnuTime ? null : (child.pid ?? null);
	const sampler = setInterval(() => {
		if (n8nPid === null && child.pid) n8nPid = firstChild(child.pid);
		const memory = n8nPid === null ? null : readMemory(n8nPid);
		if (memory) samples.push({ at: Date.now(), ...memory });
	}, 20);
	const timer = setTimeout(() => {
		log(`  n8n execute ${workflowId} took more than ${RUN_TIMEOUT_MS / 1000} s: stopped`);
		if (child.pid) process.kill(-child.pid, 'SIGKILL');
	}, RUN_TIMEOUT_MS);
	/** @type {[number | null, string | null]} */
	const [code, signal] = await new Promise((resolve) =>
		child.on('close', (c, s) => resolve([c, s])),
	);
	clearTimeout(timer);
	clearInterval(sampler);
	running.delete(child);

	const stdout = readFileSync(output, 'utf8');
	rmSync(output, { force: true });
	const inside = readProbe(probe);
	rmSync(probe, { force: true });
	const timeReport = gnuTime && existsSync(report) ? readFileSync(report, 'utf8') : '';
	const maxRss = /Maximum resident set size \(kbytes\): (\d+)/.exec(timeReport);
	const killedBy = /Command terminated by signal (\d+)/.exec(timeReport)?.[1];
	// n8n 2.41 under Node 24 now and then dies of SIGSEGV while shutting down, after printing the
	// complete run data: the run counts when its data says it finished (the exit is kept).
	const data = parseRun(stdout);
	const run = nodeRun(data, nodeName);
	const sampledPeakKb = samples.length ? Math.max(...samples.map((s) => s.hwmKb)) : null;
	const processPeakKb = maxRss ? Number(maxRss[1]) : sampledPeakKb;
	const end = run.startedAt !== null && run.wallMs !== null ? run.startedAt + run.wallMs : null;
	const atEnd = end === null ? undefined : samples.find((s) => s.at >= end);
	return {
		...run,
		peakKb: atEnd?.hwmKb ?? processPeakKb,
		processPeakKb,
		rises: Object.fromEntries(
			Object.entries(data?.data?.resultData?.runData ?? {}).map(([name, [task]]) => [
				name,
				riseDuring(samples, Number(task?.startTime), Number(task?.executionTime)),
			]),
		),
		// The same from inside the process: Buffers (file bytes) and JavaScript heap.
		buffers: Object.fromEntries(
			Object.entries(data?.data?.resultData?.runData ?? {}).map(([name, [task]]) => [
				name,
				riseDuring(inside, Number(task?.startTime), Number(task?.executionTime), 'buffersKb', 5),
			]),
		),
		heap: Object.fromEntries(
			Object.entries(data?.data?.resultData?.runData ?? {}).map(([name, [task]]) => [
				name,
				riseDuring(inside, Number(task?.startTime), Number(task?.executionTime), 'heapKb', 5),
			]),
		),
		method: maxRss ? 'GNU time -v and /proc sampling' : '/proc sampling',
		exit: killedBy ? `signal ${killedBy}` : signal ? `signal ${signal}` : `code ${code}`,
		log: run.ok
			? ''
			: `${stdout.slice(-1500)}${stderr.slice(-1500)}`.replace(/[A-Za-z0-9+/=]{200,}/g, '…'),
	};
}

/**
 * The highest value of `field` sampled while a node ran, over its value just before it started
 * (`slackMs`: the sampling period, so that the last sample of the node counts).
 * @template {string} F
 * @param {Array<{ at: number } & Record<F, number>>} samples @param {number} start @param {number} wallMs
 * @param {F} [field] @param {number} [slackMs]
 */
function riseDuring(samples, start, wallMs, field = /** @type {F} */ ('rssKb'), slackMs = 20) {
	if (!Number.isFinite(start) || !Number.isFinite(wallMs) || !samples.length) return null;
	const end = start + wallMs;
	const before = samples.filter((s) => s.at <= start).at(-1) ?? samples[0];
	const during = samples.filter((s) => s.at >= start && s.at <= end + slackMs);
	return during.length ? Math.max(...during.map((s) => s[field])) - before[field] : null;
}

/** What memory-probe.mjs wrote: `time rss heapUsed arrayBuffers` per line. @param {string} file */
function readProbe(file) {
	if (!existsSync(file)) return [];
	return readFileSync(file, 'utf8')
		.split('\n')
		.filter(Boolean)
		.map((line) => {
			const [at, , heap, buffers] = line.split(' ').map(Number);
			return { at, heapKb: heap / 1024, buffersKb: buffers / 1024 };
		});
}

// ---------------------------------------------------------------------------------------------
// The sandbox: its admin API and request log

/** @param {Sandbox} sandbox @param {string} method @param {string} route @param {unknown} [body] */
export async function admin(sandbox, method, route, body) {
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

/** Empties the request log; the mark to count from. @param {Sandbox} sandbox */
export async function clearLog(sandbox) {
	await admin(sandbox, 'DELETE', '/requests');
	return { seq: sandbox.state.seq.request, tokens: sandbox.state.tokens.size };
}

/**
 * Requests since `mark`. The log keeps the last 1000 only: the total comes from the sandbox's
 * request sequence, the tokens from its token store when the log overflowed.
 * @param {Sandbox} sandbox @param {{ seq: number, tokens: number }} mark
 */
export async function countRequests(sandbox, mark) {
	const { requests } = await admin(sandbox, 'GET', '/requests');
	const total = sandbox.state.seq.request - mark.seq;
	/** @type {Array<{ path: string, status: number, at: string, inFlight?: number }>} */
	const logged = requests;
	const tokens =
		logged.length >= total
			? logged.filter((r) => r.path === TOKEN_PATH).length
			: sandbox.state.tokens.size - mark.tokens;
	const arrivals = logged.map((r) => Date.parse(r.at)).filter(Number.isFinite);
	return {
		requests: total,
		tokens,
		failed: logged.filter((r) => r.status >= 400).length,
		// Requests the sandbox was answering at once, this one included.
		inFlight: logged.length ? Math.max(...logged.map((r) => (r.inFlight ?? 0) + 1)) : null,
		firstAt: arrivals.length ? Math.min(...arrivals) : null,
	};
}

// ---------------------------------------------------------------------------------------------
// One timed run of a job's variant

/**
 * Runs `variant` of `job` once (round `round`): an n8n variant as a webhook call to `server`, a floor
 * in this process; the requests counted from the sandbox's log.
 * @param {{ sandbox: Sandbox, server: { run: (id: string, body: object) => Promise<NodeRun> } | null,
 *   concurrency: number }} context
 * @param {import('./jobs.mjs').Job} job @param {import('./jobs.mjs').Variant} variant @param {number} round
 * @returns {Promise<import('./report.mjs').Sample>}
 */
export async function timedRun(context, job, variant, round) {
	const { sandbox, server } = context;
	const mark = await clearLog(sandbox);
	/** @type {{ ok: boolean, error?: string, wallMs: number | null, items: number | null, startedAt: number | null }} */
	let outcome;
	if (variant === 'c' || variant === 'd') {
		const width = variant === 'c' ? 1 : context.concurrency;
		try {
			const { wallMs, items } = await bareRun(sandbox, (post) => job.floor(post, width));
			outcome = { ok: true, wallMs, items, startedAt: null };
		} catch (error) {
			outcome = { ok: false, error: String(error), wallMs: null, items: null, startedAt: null };
		}
	} else {
		if (!server) throw new Error('n8n is not running');
		const run = await server.run(`${job.key}-${variant}-${round}`, job.body());
		outcome = { ...run, items: run.ok ? job.count(variant, run.items) : null };
	}
	if (outcome.ok && outcome.items !== job.items)
		outcome = { ...outcome, ok: false, error: `${outcome.items} items instead of ${job.items}` };
	const counted = await countRequests(sandbox, mark);
	return {
		job: job.key,
		latencyMs: job.latencyMs,
		variant,
		round,
		ok: outcome.ok,
		...(outcome.error ? { error: outcome.error } : {}),
		wallMs: outcome.wallMs,
		startedAt: outcome.startedAt,
		items: outcome.items,
		requests: counted.requests,
		tokens: counted.tokens,
		failed: counted.failed,
		inFlight: counted.inFlight,
		// Time from the node's start to its first request: the node's own set-up.
		firstRequestMs:
			outcome.startedAt !== null && counted.firstAt !== null
				? counted.firstAt - outcome.startedAt
				: null,
	};
}

// ---------------------------------------------------------------------------------------------
// The floors: bare fetch, one token

/**
 * Runs `fn(0…count-1)` with at most `width` at once, in order; how many returned true.
 * @param {number} count @param {number} width @param {(index: number) => Promise<boolean>} fn
 */
export async function pool(count, width, fn) {
	let next = 0;
	let got = 0;
	const worker = async () => {
		while (next < count) if (await fn(next++)) got++;
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(width, count)) }, worker));
	return got;
}

/**
 * One token, then `work` with a `post` that sends one request and checks the Chorus envelope.
 * @param {Sandbox} sandbox
 * @param {(post: (route: string, body: object) => Promise<any>) => Promise<number>} work
 */
export async function bareRun(sandbox, work) {
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
		'cpro-account': Buffer.from(`${technicalLogin}:${technicalPassword}`).toString('base64'),
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
		if (!response.ok || (answer.codeRetour !== 0 && answer.codeRetour !== 20000))
			throw new Error(
				`${route} answered ${response.status}: ${JSON.stringify(answer).slice(0, 300)}`,
			);
		return answer;
	};
	const items = await work(post);
	return { wallMs: performance.now() - started, items };
}
