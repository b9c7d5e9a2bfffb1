// @ts-check
/**
 * `npm run bench`: the Chorus Pro node in a real n8n against the local sandbox, next to the same jobs
 * done by n8n's HTTP Request node and by bare `fetch` (the floors). Not a test.
 *
 *   node scripts/bench.mjs [--latency-ms 20] [--invoices 5000] [--deposits 200] [--statuses 500]
 *                          [--sweep 100,300:200] [--file-mb 10] [--runs 3] [--quick] [--keep]
 *                          [--jobs search,deposit,status,memory] [--variants a,af,a1,b,c,d] [--cpu-prof]
 *
 * bench/settings.mjs reads this command line; bench/jobs.mjs is the job table (what the variants
 * (a) (a1) (b) (c) (d) are, what each job asks of them, its data); bench/workflows.mjs makes the n8n
 * workflows; bench/measure.mjs measures one run; bench/report.mjs prints the tables and checks the
 * performance targets. This file runs every job `--runs` times, its variants interleaved in
 * each round, then the memory job.
 *
 * Jobs: search `--invoices` invoices with Return All, deposit `--deposits` small UBL files, the
 * status of `--statuses` invoices, all at `--latency-ms` added per request; the status job again at
 * each latency of `--sweep` (`latency[:invoices]`, fewer invoices at 300 ms to keep the run short).
 * Timed runs are webhook calls to one `n8n start`: wall time is the measured node's execution time
 * in the run data n8n saved; requests, tokens and requests in flight come from the sandbox's log.
 * The memory job runs each of its workflows as its own `n8n execute` process: one `--file-mb` MB
 * Factur-X PDF read by n8n, deposited by the node, and a file twice as large deposited: peak RSS
 * over an empty workflow's, and RSS rise while each node runs.
 * `--quick` divides the workload sizes by 10 (explicit sizes still win); `--jobs` and `--variants`
 * run some only. `--cpu-prof` runs `n8n start` under Node's CPU profiler and prints, for each timed
 * job, the CPU time of n8n's process per item while the measured node ran, by owner (this node,
 * n8n's expressions, n8n-core, the HTTP client…): bench/profile.mjs.
 * Prints Markdown tables and writes `.artifacts/bench.json`. Work files go to the `bench` working
 * folder next to the n8n cache (removed at the end unless --keep).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { createSandbox } from '../sandbox/server.mjs';
import {
	LABELS,
	PAGE_SIZE,
	SEARCH_PATH,
	STATUS_PATH,
	memoryCases,
	prepareData,
	throughputJobs,
} from './bench/jobs.mjs';
import {
	admin,
	bareRun,
	executeMeasured,
	findGnuTime,
	log,
	startServer,
	stopRunning,
	timedRun,
} from './bench/measure.mjs';
import { breakdown, clockOffsetUs, findProfile, profileTable } from './bench/profile.mjs';
import { TARGETS, doneWhen, num, render, summarize, summarizeMemory } from './bench/report.mjs';
import { readSettings } from './bench/settings.mjs';
import { MEASURED, runWorkflows } from './bench/workflows.mjs';
import {
	N8N_VERSION,
	NODE_VERSION,
	createInstance,
	ensureN8n,
	prepareExtension,
	repoRoot,
	workDir,
} from './n8n.mjs';

/** @typedef {import('./bench/jobs.mjs').Job} Job */
/** @typedef {import('./bench/jobs.mjs').MemoryCase} MemoryCase */
/** @typedef {import('./bench/jobs.mjs').World} World */
/** @typedef {import('./bench/measure.mjs').Instance} Instance */
/** @typedef {import('./bench/measure.mjs').Sandbox} Sandbox */
/** @typedef {import('./bench/settings.mjs').Settings} Settings */

/** The node's default `concurrency`, read from the built node; null when it has none. */
function nodeConcurrency() {
	try {
		const require = createRequire(import.meta.url);
		const { ChorusPro } = require(path.join(repoRoot, 'dist/nodes/ChorusPro/ChorusPro.node.js'));
		const property = new ChorusPro().description.properties.find(
			(/** @type {any} */ p) => p.name === 'concurrency',
		);
		return property ? Number(property.default) : null;
	} catch {
		return null;
	}
}

/**
 * `--cpu-prof`: the CPU time of n8n's process while the measured node ran, by owner, per variant.
 * @param {string} dir @param {number | null} pid @param {import('./bench/report.mjs').Sample[]} samples
 * @param {Job[]} jobs @param {string} extension
 */
function profileOf(dir, pid, samples, jobs, extension) {
	const file = pid === null ? null : findProfile(dir, pid);
	if (!file) return 'No CPU profile: n8n did not write one when it stopped.';
	const offset = clockOffsetUs();
	const out = [];
	for (const job of jobs) {
		/** @type {import('./bench/profile.mjs').Window[]} */
		const windows = samples
			.filter((s) => s.job === job.key && s.ok && s.startedAt != null && s.wallMs !== null)
			.map((s) => ({
				variant: s.variant,
				job: s.job,
				items: job.items,
				startMs: Number(s.startedAt),
				wallMs: Number(s.wallMs),
			}));
		if (!windows.length) continue;
		out.push(
			`${job.title} at ${job.latencyMs} ms, CPU profile of n8n's process while the measured node ran (median of the runs):`,
			'',
			profileTable(breakdown(file, windows, offset, realpathSync(extension)), LABELS),
			'',
		);
	}
	return out.join('\n');
}

/** @param {string[]} args */
function git(args) {
	try {
		return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
	} catch {
		return '';
	}
}

/**
 * The timed jobs, each at its latency, `rounds` times with its variants interleaved.
 * @param {Awaited<ReturnType<typeof startServer>>} server @param {Job[]} jobs @param {number[]} rounds
 * @param {World} world @param {() => Promise<void>} beforeStatus
 */
async function runTimed(server, jobs, rounds, world, beforeStatus) {
	const { sandbox } = world;
	/** @type {import('./bench/report.mjs').Sample[]} */
	const samples = [];
	await admin(sandbox, 'POST', '/config', { latencyMs: jobs[0].latencyMs });
	for (const variant of ['a', 'b'])
		await server.run(`warm-${variant}`, { first: world.statusFirstId(), count: 10 });
	for (const job of jobs) {
		if (job.key.startsWith('status-')) await beforeStatus();
		await admin(sandbox, 'POST', '/config', { latencyMs: job.latencyMs });
		// Warm the sandbox and this process up (JIT, sockets) before the floors.
		await bareRun(sandbox, async (post) => {
			await post(STATUS_PATH, { identifiantFactureCPP: world.statusFirstId(), codeLangue: 'FR' });
			await post(SEARCH_PATH, {
				rechercheFactureParFournisseur: { pageResultatDemandee: 1, nbResultatsParPage: PAGE_SIZE },
			});
			return 0;
		});
		for (const round of rounds)
			for (const variant of job.variants) {
				const sample = await timedRun(
					{ sandbox, server, concurrency: world.concurrency },
					job,
					variant,
					round,
				);
				samples.push(sample);
				log(
					`${job.key} ${round}/${rounds.length} ${LABELS[variant]}: ${sample.ok ? `${num(sample.wallMs)} ms` : `failed (${sample.error})`}, ${sample.requests} requests, ${sample.tokens} tokens`,
				);
			}
	}
	return samples;
}

/**
 * The memory job: each workflow of `cases` as its own `n8n execute`, `rounds` times, interleaved.
 * @param {Instance} instance @param {MemoryCase[]} cases @param {number[]} rounds @param {string | null} gnuTime
 */
async function runMemory(instance, cases, rounds, gnuTime) {
	/** @type {import('./bench/report.mjs').MemorySample[]} */
	const samples = [];
	let method = '';
	for (const round of rounds)
		for (const c of cases) {
			const run = await executeMeasured(instance, `mem-${c.key}-${round}`, MEASURED, gnuTime);
			const ok = c.key.startsWith('empty') ? run.peakKb !== null : run.ok && c.check(run.items);
			method = run.method;
			samples.push({
				case: c.key,
				round,
				ok,
				...(ok ? {} : { error: run.error ?? 'unexpected output' }),
				peakKb: run.peakKb,
				processPeakKb: run.processPeakKb,
				readRiseKb: run.rises[c.readNode ?? ''] ?? null,
				nodeRiseKb: c.depositNode ? (run.rises[c.depositNode] ?? null) : null,
				readBuffersKb: run.buffers[c.readNode ?? ''] ?? null,
				nodeBuffersKb: c.depositNode ? (run.buffers[c.depositNode] ?? null) : null,
				nodeHeapKb: c.depositNode ? (run.heap[c.depositNode] ?? null) : null,
				wallMs: run.wallMs,
				exit: run.exit,
			});
			log(
				`memory ${round}/${rounds.length} ${c.key}: peak ${num((run.peakKb ?? NaN) / 1024, 1)} MB${ok ? '' : `, failed: ${run.error}\n${run.log}`}`,
			);
		}
	return { samples, method };
}

/** @param {Settings} settings @param {Job[]} jobs */
function notes(settings, jobs) {
	const [base, ...sweep] = settings.statuses;
	const fewer = sweep.filter((s) => s.count !== base.count);
	const sweeping = jobs.filter((job) => job.key.startsWith('status-')).length > 1;
	return [
		...jobs.flatMap((job) => (job.note ? [job.note] : [])),
		...(sweeping
			? [
					`the status sweep runs (af), (a1) and (c) at ${base.latencyMs} ms only (one after the other, every request waits the latency in turn)${fewer.length ? `, and reads fewer invoices at ${fewer.map((s) => `${s.latencyMs} ms (${s.count})`).join(', ')} to keep the run short` : ''}`,
				]
			: []),
	];
}

async function main() {
	const settings = readSettings();
	const started = performance.now();
	const loadAtStart = os.loadavg()[0];
	const declared = nodeConcurrency();
	const concurrency = declared ?? 5;
	const gnuTime = findGnuTime();
	const benchRoot = workDir('bench');
	mkdirSync(benchRoot, { recursive: true });
	const work = mkdtempSync(path.join(benchRoot, 'run-'));
	/** @type {Sandbox | null} */
	let sandbox = null;
	/** @type {Awaited<ReturnType<typeof startServer>> | null} */
	let server = null;
	const stopAll = async () => {
		stopRunning();
		if (server) await server.stop();
		server = null;
		if (!settings.keep) rmSync(work, { recursive: true, force: true });
	};
	for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM']))
		process.once(signal, () => stopAll().finally(() => process.exit(130)));

	try {
		log(
			`bench: ${settings.runs} runs; ${settings.invoices} invoices, ${settings.deposits} deposits, statuses ${settings.statuses.map((s) => `${s.count} at ${s.latencyMs} ms`).join(', ')}, ${settings.fileMb} MB file; node concurrency ${declared ?? 'absent (sequential)'}`,
		);
		ensureN8n();
		const extension = prepareExtension(path.join(work, 'extension'));
		sandbox = await createSandbox({ port: 0, latencyMs: 0 });
		const instance = await createInstance({
			home: path.join(work, 'n8n'),
			extensionDir: extension,
		});
		const data = await prepareData(settings, sandbox, instance, concurrency);
		const allJobs = throughputJobs(settings, data.world);
		const jobs = allJobs
			.filter((job) => settings.jobs.includes(job.key.replace(/-.*/, '')))
			.map((job) => ({
				...job,
				variants: job.variants.filter((v) => settings.variants.includes(v)),
			}));
		const cases = settings.jobs.includes('memory') ? memoryCases(data.world) : [];
		const rounds = Array.from({ length: settings.runs }, (_, i) => i + 1);
		const warmJob = allJobs.find((job) => job.key.startsWith('status-'));
		const { workflows, credentials, timedIds } = runWorkflows(
			jobs,
			warmJob,
			cases,
			rounds,
			sandbox,
		);
		log(
			`importing ${credentials.length} credentials and ${workflows.length} workflows into n8n...`,
		);
		if (credentials.length) await instance.importCredentials(credentials);
		await instance.importWorkflows(workflows);

		/** @type {import('./bench/report.mjs').Sample[]} */
		let samples = [];
		let profiled = '';
		if (jobs.length) {
			log('starting n8n...');
			const profileDir = path.join(work, 'cpu-prof');
			server = await startServer(
				instance,
				timedIds,
				MEASURED,
				settings.cpuProf
					? { NODE_OPTIONS: `--cpu-prof --cpu-prof-interval=250 --cpu-prof-dir=${profileDir}` }
					: {},
			);
			const pid = server.pid;
			samples = await runTimed(server, jobs, rounds, data.world, data.statusBatch);
			await server.stop();
			server = null;
			if (settings.cpuProf) profiled = profileOf(profileDir, pid, samples, jobs, extension);
		}
		await admin(sandbox, 'POST', '/config', { latencyMs: settings.latencyMs });
		const memoryRuns = cases.length
			? await runMemory(instance, cases, rounds, gnuTime)
			: { samples: [], method: '' };

		const rows = summarize(samples, jobs);
		const memory = cases.length ? summarizeMemory(memoryRuns.samples, cases, data.fileBytes) : null;
		const checks = doneWhen(rows, memory, settings.latencyMs);
		const elapsedMs = performance.now() - started;
		console.log(
			render({
				n8n: N8N_VERSION,
				node: NODE_VERSION,
				cpus: os.cpus().length,
				runs: settings.runs,
				declared,
				concurrency,
				rows,
				notes: notes(settings, jobs),
				memory,
				checks,
				elapsedMs,
				loadAtStart,
			}),
		);
		if (profiled) console.log(`\n${profiled}`);

		const report = {
			settings: {
				...settings,
				pageSize: PAGE_SIZE,
				fileBytes: data.fileBytes,
				concurrency,
				nodeDeclaresConcurrency: declared !== null,
			},
			environment: {
				n8n: N8N_VERSION,
				n8nNode: NODE_VERSION,
				benchNode: process.versions.node,
				platform: `${process.platform}-${process.arch}`,
				cpus: os.cpus().length,
				commit: git(['log', '-1', '--format=%h %s']),
				uncommittedNodeChanges: git(['status', '--porcelain', '--', 'nodes', 'credentials']) !== '',
				memoryMethod: memoryRuns.method,
				loadAverage1m: { start: loadAtStart, end: os.loadavg()[0] },
				durationS: Math.round(elapsedMs / 1000),
			},
			targets: TARGETS,
			rows,
			memory,
			doneWhen: checks,
			samples,
			memorySamples: memoryRuns.samples,
		};
		const artifacts = path.join(repoRoot, '.artifacts');
		mkdirSync(artifacts, { recursive: true });
		writeFileSync(path.join(artifacts, 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
		log(`results: ${path.relative(process.cwd(), path.join(artifacts, 'bench.json'))}`);
	} finally {
		await stopAll();
		if (sandbox) await sandbox.close();
		if (settings.keep) log(`work files kept in ${path.relative(process.cwd(), work)}`);
	}
}

main().catch((error) => {
	stopRunning();
	console.error(error instanceof Error ? (error.stack ?? error.message) : error);
	process.exit(1);
});
