// @ts-check
/**
 * Loaded into the memory job's `n8n execute` processes (NODE_OPTIONS=--import): samples the
 * process's own memory every 5 ms and appends it to the file named by BENCH_MEMORY_PROBE, as
 * `time rss heapUsed arrayBuffers` (ms, bytes). The RSS seen from outside says how much; the
 * array buffers say how much of it is file bytes (Buffers: n8n's read, the node's copies, the
 * request body) and the heap how much is JavaScript objects and strings.
 */
import { appendFileSync } from 'node:fs';

const file = process.env.BENCH_MEMORY_PROBE;
// Only `n8n execute` itself, not the processes it may start (which inherit the environment).
if (file && process.argv.includes('execute')) {
	/** @type {string[]} */
	let pending = [];
	const flush = () => {
		if (!pending.length) return;
		appendFileSync(file, `${pending.join('\n')}\n`);
		pending = [];
	};
	const sample = () => {
		const m = process.memoryUsage();
		pending.push(`${Date.now()} ${m.rss} ${m.heapUsed} ${m.arrayBuffers}`);
		// Written as it goes: n8n may die while shutting down (see measure.mjs).
		if (pending.length >= 50) flush();
	};
	setInterval(sample, 5).unref();
	process.on('exit', () => {
		sample();
		flush();
	});
}
