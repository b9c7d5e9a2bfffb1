// @ts-check
/**
 * What the benchmark prints: min and median of the runs of each job and variant, ratios against
 * the floor of the same bench run, the memory breakdown of the large deposit, and the performance
 * targets checked from these figures. The tables are Markdown, pasted as is in the README.
 */
import { LABELS } from './jobs.mjs';

/** The targets: against the floor, memory over the file's size, tokens per run. */
export const TARGETS = Object.freeze({ maxRatioToFloor: 1.15, maxMemoryRatio: 3, tokens: 1 });
const MB = 1024 * 1024;

/** @typedef {import('./jobs.mjs').Job} Job */
/** @typedef {import('./jobs.mjs').Variant} Variant */
/**
 * One timed run.
 * @typedef {{ job: string, latencyMs: number, variant: Variant, round: number, ok: boolean,
 *   error?: string, wallMs: number | null, startedAt?: number | null, items: number | null, requests: number | null,
 *   tokens: number | null, failed: number | null, inFlight: number | null,
 *   firstRequestMs?: number | null }} Sample
 */
/**
 * @typedef {{ job: string, title: string, latencyMs: number, variant: Variant, label: string,
 *   runs: number, failedRuns: number, errors: string[], wallMinMs: number | null,
 *   wallMedianMs: number | null, floor: Variant | null, ratio: number | null,
 *   requests: number[], minRequests: number, tokens: number[], inFlight: number[],
 *   firstRequestMs: number | null }} Row
 */
/**
 * One memory run: peak and rises in kB (RSS from outside; Buffers and heap from inside).
 * @typedef {{ case: string, round: number, ok: boolean, error?: string, peakKb: number | null,
 *   processPeakKb: number | null, readRiseKb: number | null, nodeRiseKb: number | null,
 *   readBuffersKb?: number | null, nodeBuffersKb?: number | null, nodeHeapKb?: number | null,
 *   wallMs: number | null, exit: string }} MemorySample
 */

/** @param {number[]} values */
export const median = (values) => {
	if (!values.length) return null;
	const sorted = [...values].sort((x, y) => x - y);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
/** @param {number[]} values */
const min = (values) => (values.length ? Math.min(...values) : null);
/** @param {number | null | undefined} value @param {number} [digits] */
export const num = (value, digits = 0) =>
	value === null || value === undefined || !Number.isFinite(value)
		? '—'
		: value.toLocaleString('en-US', {
				minimumFractionDigits: digits,
				maximumFractionDigits: digits,
			});
/** @param {number[]} values */
const span = (values) => {
	const low = min(values);
	const high = values.length ? Math.max(...values) : null;
	return low === high ? num(low) : `${num(low)}–${num(high)}`;
};

/**
 * @param {Sample[]} samples @param {Job[]} jobs
 * @returns {Row[]}
 */
export function summarize(samples, jobs) {
	/** @type {Row[]} */
	const rows = [];
	for (const job of jobs) {
		const of = (/** @type {Variant} */ variant) =>
			samples.filter((s) => s.job === job.key && s.variant === variant);
		const medianOf = (/** @type {Variant} */ variant) =>
			median(
				of(variant)
					.filter((s) => s.ok && s.wallMs !== null)
					.map((s) => /** @type {number} */ (s.wallMs)),
			);
		for (const variant of sortVariants(job.variants)) {
			const runs = of(variant);
			const walls = runs.filter((s) => s.ok && s.wallMs !== null).map((s) => Number(s.wallMs));
			const floor = job.floorOf[variant] ?? null;
			const floorMedian = floor ? medianOf(floor) : null;
			const wallMedianMs = median(walls);
			rows.push({
				job: job.key,
				title: job.title,
				latencyMs: job.latencyMs,
				variant,
				label: LABELS[variant],
				runs: runs.length,
				failedRuns: runs.filter((s) => !s.ok).length,
				errors: [...new Set(runs.filter((s) => s.error).map((s) => String(s.error)))],
				wallMinMs: min(walls),
				wallMedianMs,
				floor,
				ratio: floorMedian && wallMedianMs !== null ? wallMedianMs / floorMedian : null,
				requests: counts(runs, 'requests'),
				minRequests: job.minRequests,
				tokens: counts(runs, 'tokens'),
				inFlight: counts(runs, 'inFlight'),
				firstRequestMs: median(
					runs.filter((s) => s.ok && s.firstRequestMs != null).map((s) => Number(s.firstRequestMs)),
				),
			});
		}
	}
	return rows;
}

/** @param {Sample[]} runs @param {'requests' | 'tokens' | 'inFlight'} field */
const counts = (runs, field) =>
	runs
		.map((s) => s[field])
		.filter((n) => n !== null)
		.map(Number);

/** Floors first, then the node, then the HTTP Request node. @param {Variant[]} variants */
const sortVariants = (variants) =>
	[...variants].sort((x, y) => ORDER.indexOf(x) - ORDER.indexOf(y));
/** @type {Variant[]} */
const ORDER = ['d', 'c', 'a', 'af', 'a1', 'b'];

/** @param {Row[]} rows */
export function throughputTable(rows) {
	const lines = [
		'| Job | Latency | Variant | Wall ms, min / median | × floor | Requests (min) | Tokens | In flight | First request, ms |',
		'|---|---:|---|---:|---:|---:|---:|---:|---:|',
	];
	let previous = '';
	for (const r of rows) {
		const key = `${r.title} ${r.latencyMs}`;
		const bold = r.variant === 'a' || r.variant === 'a1';
		const wall = r.failedRuns
			? `${r.failedRuns} of ${r.runs} failed`
			: `${num(r.wallMinMs)} / ${bold ? `**${num(r.wallMedianMs)}**` : num(r.wallMedianMs)}`;
		lines.push(
			`| ${key === previous ? '' : r.title} | ${key === previous ? '' : `${r.latencyMs} ms`} | ${r.label} | ${wall} | ${r.floor ? `${num(r.ratio, 2)} × ${r.floor === 'd' ? '(d)' : '(c)'}` : 'floor'} | ${span(r.requests)} (${num(r.minRequests)}) | ${span(r.tokens)} | ${span(r.inFlight)} | ${num(r.firstRequestMs)} |`,
		);
		previous = key;
	}
	return lines.join('\n');
}

/**
 * Peaks over an empty workflow's, RSS rises while n8n reads the file and while the node deposits
 * it, and what a file twice as large adds.
 * @param {MemorySample[]} samples @param {Array<{ key: string, label: string, size: number }>} cases
 * @param {number} fileBytes
 */
export function summarizeMemory(samples, cases, fileBytes) {
	/** @typedef {'peakKb' | 'processPeakKb' | 'readRiseKb' | 'nodeRiseKb' | 'readBuffersKb' | 'nodeBuffersKb' | 'nodeHeapKb'} Field */
	/** @param {string} key @param {Field} field */
	const values = (key, field) =>
		samples
			.filter((s) => s.case === key && s.ok)
			.map((s) => s[field])
			.filter((kb) => kb !== null && kb !== undefined)
			.map(Number);
	const baselineKb = median(values('empty', 'peakKb'));
	const fileMb = fileBytes / MB;
	const rows = cases
		.filter((c) => c.key !== 'empty')
		.map((c) => {
			const extras =
				baselineKb === null ? [] : values(c.key, 'peakKb').map((kb) => (kb - baselineKb) / 1024);
			const runs = samples.filter((s) => s.case === c.key);
			const mb = (/** @type {Field} */ field) =>
				median(values(c.key, field).map((kb) => kb / 1024));
			const extraMedianMb = median(extras);
			return {
				key: c.key,
				label: c.label,
				fileMb: fileMb * c.size,
				runs: runs.length,
				failedRuns: runs.filter((s) => !s.ok).length,
				errors: [...new Set(runs.filter((s) => s.error).map((s) => String(s.error)))],
				extraMinMb: min(extras),
				extraMedianMb,
				ratio: extraMedianMb === null || !c.size ? null : extraMedianMb / (fileMb * c.size),
				readRiseMb: mb('readRiseKb'),
				nodeRiseMb: mb('nodeRiseKb'),
				readBuffersMb: mb('readBuffersKb'),
				nodeBuffersMb: mb('nodeBuffersKb'),
				nodeHeapMb: mb('nodeHeapKb'),
			};
		});
	const extra = (/** @type {string} */ key) =>
		rows.find((r) => r.key === key)?.extraMedianMb ?? null;
	const [read, once, twice, small] = [extra('read'), extra('a'), extra('a-2x'), extra('a-small')];
	const deposit = rows.find((r) => r.key === 'a');
	// What the second `fileMb` adds, over `fileMb`: the part of the peak that grows with the file.
	const growing = once === null || twice === null ? null : (twice - once) / fileMb;
	return {
		baselineMb: baselineKb === null ? null : baselineKb / 1024,
		baselineRunsMb: values('empty', 'peakKb').map((kb) => kb / 1024),
		fileMb,
		rows,
		// In multiples of the file.
		shares: {
			// Running the node at all (its code, n8n's HTTP stack, a first request): a small file.
			fixed: small === null ? null : small / fileMb,
			// The file's own share of the deposit's peak: what the large file adds over a small one.
			file: once === null || small === null ? null : (once - small) / fileMb,
			n8nRead: read === null ? null : read / fileMb,
			growing,
			// While the node deposits the file, measured in the same process: its own share.
			nodeBuffers: deposit?.nodeBuffersMb == null ? null : deposit.nodeBuffersMb / fileMb,
			n8nReadBuffers: deposit?.readBuffersMb == null ? null : deposit.readBuffersMb / fileMb,
		},
	};
}

/** @param {ReturnType<typeof summarizeMemory>} memory */
export function memoryTable(memory) {
	const lines = [
		`| A large Factur-X PDF | Peak over an empty workflow, MB min / median | × file | While n8n reads it: RSS / Buffers rise, MB | While the node deposits it: RSS / Buffers / heap rise, MB |`,
		'|---|---:|---:|---:|---:|',
	];
	for (const r of memory.rows) {
		const peak = r.failedRuns
			? `${r.failedRuns} of ${r.runs} failed`
			: `${num(r.extraMinMb, 1)} / ${r.key === 'a' ? `**${num(r.extraMedianMb, 1)}**` : num(r.extraMedianMb, 1)}`;
		const node =
			r.nodeRiseMb === null
				? '—'
				: `${num(r.nodeRiseMb, 1)} / ${num(r.nodeBuffersMb, 1)} / ${num(r.nodeHeapMb, 1)}`;
		lines.push(
			`| ${r.label}${r.fileMb ? `, ${num(r.fileMb, 0)} MB` : ''} | ${peak} | ${num(r.ratio, 2)} | ${num(r.readRiseMb, 1)} / ${num(r.readBuffersMb, 1)} | ${node} |`,
		);
	}
	return lines.join('\n');
}

/**
 * What the memory figures say, in words that follow the figures.
 * @param {ReturnType<typeof summarizeMemory>} memory
 */
function memoryReading(memory) {
	const { n8nRead, growing, nodeBuffers, n8nReadBuffers, fixed, file: share } = memory.shares;
	const file = num(memory.fileMb, 0);
	const sentences = [`n8n reading the file alone peaks ${num(n8nRead, 2)}× its size.`];
	if (fixed !== null && share !== null)
		sentences.push(
			`Depositing a small file instead peaks ${num(fixed, 2)}× the ${file} MB over an empty workflow: what running the node at all takes (its code, n8n's HTTP client, a request), not a copy of the file; the ${file} MB file adds ${num(share, 2)}× its size to that, n8n's read included.`,
		);
	if (growing !== null)
		sentences.push(
			`A file twice as large peaks ${num(growing, 2)}× the added size higher (n8n's read and the node's copies together).`,
		);
	if (nodeBuffers !== null)
		sentences.push(
			`While this node deposits the ${file} MB file, Buffers grow ${num(nodeBuffers, 2)}× the file: the request body (${num(4 / 3, 2)}×, the file's base64, made in the buffer the file is read into) and the file's bytes as n8n's binary data helpers hand them over (1×: a stream of new chunks, or one new Buffer); n8n's read had already added ${num(n8nReadBuffers, 2)}× in Buffers.`,
		);
	return sentences.join(' ');
}

/**
 * Issue 11's "Done when", from this run's figures.
 * @param {Row[]} rows @param {ReturnType<typeof summarizeMemory> | null} memory
 * @param {number} baseLatencyMs
 * @returns {Array<{ ok: boolean | null, text: string }>}
 */
export function doneWhen(rows, memory, baseLatencyMs) {
	const row = (/** @type {string} */ job, /** @type {Variant} */ variant) =>
		rows.find((r) => r.job === job && r.variant === variant);
	/** @param {boolean[]} values: null when nothing was measured */
	const all = (values) => (values.length ? values.every(Boolean) : null);
	/** @type {Array<{ ok: boolean | null, text: string }>} */
	const checks = [];

	const base = [...new Set(rows.filter((r) => r.latencyMs === baseLatencyMs).map((r) => r.job))];
	const faster = base.map((job) => ({ job, a: row(job, 'a'), b: row(job, 'b') }));
	checks.push({
		ok: all(
			faster.map(
				({ a, b }) =>
					a?.wallMedianMs != null && b?.wallMedianMs != null && a.wallMedianMs < b.wallMedianMs,
			),
		),
		text: `(a) faster than (b) at ${baseLatencyMs} ms (median ms): ${faster.map(({ job, a, b }) => `${job} ${num(a?.wallMedianMs)} vs ${num(b?.wallMedianMs)}`).join(', ')}`,
	});

	const sweep = rows.filter((r) => r.job.startsWith('status-') && r.variant === 'a');
	const fixed = rows.find((r) => r.variant === 'af');
	const others = [
		...[
			['deposit', '(d)'],
			['search', '(c)'],
		].flatMap(([job, floor]) => {
			const r = row(job, 'a');
			return r ? [`${job} ${num(r.ratio, 2)}× of ${floor}`] : [];
		}),
		...(fixed
			? [
					`at ${fixed.latencyMs} ms with a fixed invoice id, so no expression for n8n to evaluate per item, ${num(fixed.ratio, 2)}×`,
				]
			: []),
	];
	checks.push({
		ok: all(sweep.map((r) => r.ratio !== null && r.ratio <= TARGETS.maxRatioToFloor)),
		text: `(a) within ${TARGETS.maxRatioToFloor}× of (d) at every latency of the status sweep: ${sweep.map((r) => `${r.latencyMs} ms ${num(r.ratio, 2)}×`).join(', ')}${others.length ? ` (${others.join('; ')})` : ''}`,
	});

	const node = rows.filter((r) => r.variant === 'a' || r.variant === 'af' || r.variant === 'a1');
	const wrong = node.filter(
		(r) =>
			r.failedRuns ||
			r.tokens.some((t) => t !== TARGETS.tokens) ||
			r.requests.some((n) => n !== r.minRequests),
	);
	checks.push({
		ok: node.length ? !wrong.length : null,
		text: wrong.length
			? `1 token and the minimum requests in every run of the node: not in ${wrong.map((r) => `${r.job} ${r.label}`).join(', ')}`
			: `1 token and the minimum requests in every run of the node (${node.reduce((n, r) => n + r.runs, 0)} runs)`,
	});

	if (memory) {
		const ratio = memory.rows.find((r) => r.key === 'a')?.ratio ?? null;
		const { n8nRead, fixed, nodeBuffers } = memory.shares;
		const body = 4 / 3; // the file's base64: the least a JSON body carrying it holds
		// What a node cannot avoid: running at all, the file's bytes as n8n's binary data helpers
		// hand them over (new Buffers, 1×) and the request body.
		const least = fixed === null ? null : fixed + 1 + body;
		const reach =
			least === null || ratio === null || ratio < TARGETS.maxMemoryRatio
				? ''
				: least >= TARGETS.maxMemoryRatio
					? `; out of reach of a node: running it at all, the file as n8n's binary data helpers hand it over (1×) and the request body (${num(body, 2)}×) already make ${num(least, 2)}×`
					: `; a node could go down to ${num(least, 2)}× (running it at all, the file as n8n hands it over, the request body)`;
		checks.push({
			ok: ratio === null ? null : ratio < TARGETS.maxMemoryRatio,
			text: `${num(memory.fileMb, 0)} MB deposit under ${TARGETS.maxMemoryRatio}× the file: ${num(ratio, 2)}× over an empty workflow, of which ${num(n8nRead, 2)}× is n8n's own read of the file (Read/Write Files alone) and ${num(fixed, 2)}× running the node at all (the same with a small file)${reach}`,
		});
		checks.push({
			ok: nodeBuffers === null ? null : nodeBuffers < TARGETS.maxMemoryRatio,
			text: `the node's own share under ${TARGETS.maxMemoryRatio}× the file: Buffers grow ${num(nodeBuffers, 2)}× while it deposits the file (the request body ${num(body, 2)}×, made in the buffer the file is read into, and the file as n8n's binary data helpers hand it over, 1×)`,
		});
	}
	return checks;
}

/** @param {Array<{ ok: boolean | null, text: string }>} checks */
export const verdictLines = (checks) =>
	checks.map((c) => `- ${c.ok === null ? '—' : c.ok ? 'pass' : '**FAIL**'}: ${c.text}`).join('\n');

/** @param {number} ms */
const duration = (ms) => `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;

/**
 * Everything the benchmark prints.
 * @param {{ n8n: string, node: string, cpus: number, runs: number, declared: number | null,
 *   concurrency: number, rows: Row[], notes: string[], memory: ReturnType<typeof summarizeMemory> | null,
 *   checks: Array<{ ok: boolean | null, text: string }>, elapsedMs: number,
 *   loadAtStart: number }} summary
 */
export function render(summary) {
	const { memory } = summary;
	const out = [
		`Chorus Pro node benchmark: n8n ${summary.n8n} (Node ${summary.node}), ${summary.cpus} CPUs, latency added per request by the sandbox; min / median of ${summary.runs} runs.`,
		`(a) this node at its default concurrency (${summary.declared ?? 'none: sequential'}) · (af) the same with a fixed invoice id, no expression for n8n to evaluate per item · (a1) this node, concurrency 1 · (b) HTTP Request node, n8n's defaults (no batching: every item started without waiting; generic OAuth2 credential) · (c) fetch loop, sequential · (d) fetch pool of ${summary.concurrency}. (c) and (d) run in the bench process with one token.`,
		'',
	];
	if (summary.rows.length)
		out.push(
			throughputTable(summary.rows),
			'',
			"Requests (min): counted by the sandbox, and the fewest the job needs (one per item or page, plus one token). In flight: the most requests the sandbox was answering at once. First request: median time from the node's start to the first request the sandbox saw, the node's set-up (reading its settings and, for writes, checking every item before the first is sent).",
			...summary.notes.map((n) => `Note: ${n}.`),
			'',
		);
	if (memory) {
		out.push(
			memoryTable(memory),
			'',
			`Peaks are taken when the last node ends, over an empty workflow's (${num(memory.baselineMb, 1)} MB: ${memory.baselineRunsMb.map((mb) => num(mb, 1)).join(', ')}), whose own peak is n8n starting up; a rise is the highest RSS while a node runs over the RSS just before it; Buffers and heap are sampled from inside n8n's process. ${memoryReading(memory)}`,
			'',
		);
	}
	out.push(
		'Targets:',
		verdictLines(summary.checks),
		'',
		`Bench run: ${duration(summary.elapsedMs)}.`,
	);
	if (summary.loadAtStart > summary.cpus * 0.5)
		out.push(
			`Note: the machine was already busy when the bench started (load average ${num(summary.loadAtStart, 1)} on ${summary.cpus} CPUs).`,
		);
	return out.join('\n');
}
