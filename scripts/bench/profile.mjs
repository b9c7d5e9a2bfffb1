// @ts-check
/**
 * `--cpu-prof`: where the CPU time of n8n's process goes while one variant of a timed job runs.
 * n8n runs under `node --cpu-prof`; when it stops, the samples that fall inside each run of the
 * measured node (its start and execution time from the run data) are added up by who runs the
 * code: this node, n8n's expression engine, the rest of n8n-workflow, n8n-core, the HTTP client,
 * Node itself, the garbage collector. The profile's clock (V8's, CLOCK_MONOTONIC on Linux) and the
 * run data's (Date.now) are tied by one reading of both in this process.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

import { num } from './report.mjs';

/** Wall clock minus monotonic clock, in µs: a Date.now() in µs minus this is V8's timestamp. */
export function clockOffsetUs() {
	const mono = Number(process.hrtime.bigint() / 1000n);
	return Date.now() * 1000 - mono;
}

/**
 * @typedef {{ id: number, callFrame: { functionName: string, url: string, lineNumber: number },
 *   children?: number[] }} ProfileNode
 * @typedef {{ nodes: ProfileNode[], startTime: number, endTime: number, samples: number[],
 *   timeDeltas: number[] }} Profile
 * @typedef {{ variant: string, job: string, items: number, startMs: number, wallMs: number }} Window
 */

/** Who runs a piece of code, from its script's path. @param {string} url @param {string} extension */
function owner(url, extension, name = '') {
	if (!url) {
		if (name === '(garbage collector)') return 'garbage collector';
		if (name === '(idle)') return 'idle (waiting for the network)';
		return "native code (V8, Node's socket writes and HTTP parser)";
	}
	const file = url.replace(/^file:\/\//, '');
	if (file.startsWith(extension)) return 'this node';
	if (file.startsWith('node:')) return 'Node (http, net, streams, timers)';
	if (
		/\/n8n-workflow\/dist\/.*(expression|workflow-data-proxy|extensions\/|tmpl|esprima|jssha|ast)/i.test(
			file,
		)
	)
		return "n8n's expressions";
	if (file.includes('/n8n-workflow/')) return 'n8n-workflow: other';
	if (/\/n8n-core\/dist\/.*request-helper/.test(file)) return 'n8n-core: HTTP helpers';
	if (file.includes('/n8n-core/')) return 'n8n-core: other';
	if (
		/\/(axios|follow-redirects|form-data|proxy-from-env|http-proxy-agent|https-proxy-agent|agent-base)\//.test(
			file,
		)
	)
		return 'HTTP client (axios)';
	if (
		/\/(@n8n\/tournament|@n8n\/expression-runtime|isolated-vm|tmpl|esprima-next|recast|ast-types|jmespath|luxon)\//.test(
			file,
		)
	)
		return "n8n's expressions";
	return 'other packages (n8n server, database, logging)';
}

/** The profile file n8n's main process (`pid`) wrote in `dir`. @param {string} dir @param {number} pid */
export function findProfile(dir, pid) {
	const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
	const mine = files.find((f) => f.split('.').includes(String(pid)));
	return mine ? path.join(dir, mine) : null;
}

/**
 * CPU time by owner inside each window, in µs per item, the median over the windows of a variant;
 * and the functions of this node that took the most.
 * @param {string} file @param {Window[]} windows @param {number} offsetUs @param {string} extension
 */
export function breakdown(file, windows, offsetUs, extension) {
	/** @type {Profile} */
	const profile = JSON.parse(readFileSync(file, 'utf8'));
	/** @type {Map<number, ProfileNode>} */
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	/** @type {Map<number, string>} */
	const ownerOf = new Map();
	for (const n of profile.nodes)
		ownerOf.set(n.id, owner(n.callFrame.url, extension, n.callFrame.functionName));
	// Sample times, V8 clock, µs.
	const times = new Array(profile.samples.length);
	for (let i = 0, t = profile.startTime; i < profile.samples.length; i++)
		times[i] = t += profile.timeDeltas[i];

	/** @type {Map<string, Array<{ owners: Map<string, number>, wallUs: number, items: number }>>} */
	const perVariant = new Map();
	/** @type {Map<string, number>} */
	const ourFunctions = new Map();
	for (const w of windows) {
		const from = w.startMs * 1000 - offsetUs;
		const to = from + w.wallMs * 1000;
		/** @type {Map<string, number>} */
		const owners = new Map();
		for (let i = 0; i < times.length; i++) {
			if (times[i] < from || times[i] > to) continue;
			const id = profile.samples[i];
			const spent = profile.timeDeltas[i + 1] ?? 0;
			const who = /** @type {string} */ (ownerOf.get(id));
			owners.set(who, (owners.get(who) ?? 0) + spent);
			if (who === 'this node' && w.variant === 'a') {
				const frame = /** @type {ProfileNode} */ (byId.get(id)).callFrame;
				const key = `${frame.functionName || '(anonymous)'} ${path.basename(frame.url)}:${frame.lineNumber + 1}`;
				ourFunctions.set(key, (ourFunctions.get(key) ?? 0) + spent);
			}
		}
		const list = perVariant.get(w.variant) ?? [];
		list.push({ owners, wallUs: w.wallMs * 1000, items: w.items });
		perVariant.set(w.variant, list);
	}
	return { perVariant, ourFunctions, windows: windows.length };
}

const ORDER = [
	'this node',
	"n8n's expressions",
	'n8n-workflow: other',
	'n8n-core: HTTP helpers',
	'n8n-core: other',
	'HTTP client (axios)',
	'Node (http, net, streams, timers)',
	"native code (V8, Node's socket writes and HTTP parser)",
	'garbage collector',
	'other packages (n8n server, database, logging)',
	'idle (waiting for the network)',
];

/**
 * A Markdown table: µs of CPU per item by owner, each variant a column (median over its runs).
 * @param {ReturnType<typeof breakdown>} result @param {Record<string, string>} labels
 */
export function profileTable(result, labels) {
	const variants = [...result.perVariant.keys()];
	/** @param {string} variant @param {(run: { owners: Map<string, number>, wallUs: number, items: number }) => number} pick */
	const med = (variant, pick) => {
		const values = (result.perVariant.get(variant) ?? []).map(pick).sort((x, y) => x - y);
		return values.length ? values[Math.floor(values.length / 2)] : null;
	};
	const lines = [
		`| CPU µs per item, n8n's process | ${variants.map((v) => labels[v] ?? v).join(' | ')} |`,
		`|---|${variants.map(() => '---:').join('|')}|`,
	];
	for (const who of ORDER)
		lines.push(
			`| ${who} | ${variants.map((v) => num(med(v, (run) => (run.owners.get(who) ?? 0) / run.items))).join(' | ')} |`,
		);
	lines.push(
		`| busy, all but idle | ${variants
			.map((v) =>
				num(
					med(v, (run) => {
						let busy = 0;
						for (const [who, us] of run.owners) if (!who.startsWith('idle')) busy += us;
						return busy / run.items;
					}),
				),
			)
			.join(' | ')} |`,
		`| wall µs per item | ${variants.map((v) => num(med(v, (run) => run.wallUs / run.items))).join(' | ')} |`,
	);
	const top = [...result.ourFunctions.entries()].sort((x, y) => y[1] - x[1]).slice(0, 12);
	const runsOfA = result.perVariant.get('a')?.length ?? 1;
	const itemsOfA = (result.perVariant.get('a') ?? []).reduce((n, run) => n + run.items, 0) || 1;
	if (top.length)
		lines.push(
			'',
			`This node's functions, self time in (a) over ${runsOfA} run(s), µs per item: ${top.map(([key, us]) => `${key} ${num(us / itemsOfA, 1)}`).join('; ')}`,
		);
	return lines.join('\n');
}
