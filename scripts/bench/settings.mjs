// @ts-check
/** The benchmark's command line: workload sizes, latencies, runs, which jobs. */
import { parseArgs } from 'node:util';

import { log } from './measure.mjs';

export const JOB_NAMES = Object.freeze(['search', 'deposit', 'status', 'memory']);
const VARIANTS = Object.freeze(['a', 'af', 'a1', 'b', 'c', 'd']);
const USAGE =
	'usage: node scripts/bench.mjs [--latency-ms 20] [--invoices 5000] [--deposits 200] [--statuses 500] [--sweep 100,300:200] [--file-mb 10] [--runs 3] [--quick] [--keep] [--jobs search,deposit,status,memory] [--variants a,af,a1,b,c,d] [--cpu-prof]';

/**
 * `statuses`: the status job at `latencyMs` first, then at each latency of the sweep.
 * @typedef {{ latencyMs: number, invoices: number, deposits: number,
 *   statuses: Array<{ latencyMs: number, count: number }>, fileMb: number, runs: number,
 *   jobs: string[], variants: string[], cpuProf: boolean, quick: boolean, keep: boolean }} Settings
 */

/** @param {string[]} [args] @returns {Settings} */
export function readSettings(args = process.argv.slice(2)) {
	const { values } = parseArgs({
		args,
		options: {
			'latency-ms': { type: 'string' },
			invoices: { type: 'string' },
			deposits: { type: 'string' },
			statuses: { type: 'string' },
			sweep: { type: 'string' },
			'file-mb': { type: 'string' },
			runs: { type: 'string' },
			jobs: { type: 'string' },
			variants: { type: 'string' },
			'cpu-prof': { type: 'boolean', default: false },
			quick: { type: 'boolean', default: false },
			keep: { type: 'boolean', default: false },
			help: { type: 'boolean', short: 'h', default: false },
		},
	});
	if (values.help) {
		log(USAGE);
		process.exit(0);
	}
	// --quick: workloads ten times smaller (explicit sizes still win).
	const scale = values.quick ? 10 : 1;
	/** @param {string | undefined} raw @param {string} name @param {number} fallback @param {number} least */
	const number = (raw, name, fallback, least) => {
		const value = raw === undefined ? fallback : Number(raw);
		if (!Number.isFinite(value) || value < least)
			throw new Error(`--${name} must be a number >= ${least}`);
		return value;
	};
	const latencyMs = number(values['latency-ms'], 'latency-ms', 20, 0);
	const statuses = Math.round(number(values.statuses, 'statuses', 500 / scale, 1));
	// latency[:invoices], fewer invoices where one run would otherwise take long.
	const sweep = (values.sweep ?? `100,300:${200 / scale}`)
		.split(',')
		.filter(Boolean)
		.map((entry) => {
			const [latency, count] = entry.split(':');
			return {
				latencyMs: number(latency, 'sweep', 0, 0),
				count: Math.round(number(count, 'sweep', statuses, 1)),
			};
		});
	const jobs = (values.jobs ?? JOB_NAMES.join(',')).split(',').filter(Boolean);
	for (const job of jobs)
		if (!JOB_NAMES.includes(job))
			throw new Error(`--jobs: ${job} is not one of ${JOB_NAMES.join(', ')}`);
	const variants = (values.variants ?? VARIANTS.join(',')).split(',').filter(Boolean);
	for (const variant of variants)
		if (!VARIANTS.includes(variant))
			throw new Error(`--variants: ${variant} is not one of ${VARIANTS.join(', ')}`);
	return {
		latencyMs,
		invoices: Math.round(number(values.invoices, 'invoices', 5000 / scale, 1)),
		deposits: Math.round(number(values.deposits, 'deposits', 200 / scale, 1)),
		statuses: [{ latencyMs, count: statuses }, ...sweep.filter((s) => s.latencyMs !== latencyMs)],
		fileMb: number(values['file-mb'], 'file-mb', 10, 0.1),
		runs: Math.round(number(values.runs, 'runs', 3, 1)),
		jobs,
		variants,
		cpuProf: values['cpu-prof'] === true,
		quick: values.quick === true,
		keep: values.keep === true,
	};
}
