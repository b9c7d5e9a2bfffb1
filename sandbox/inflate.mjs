// @ts-check
/**
 * Bounded zlib inflation, shared by the PDF and archive readers: a hostile file (a decompression bomb) costs a
 * bounded amount of work and memory, because zlib's `maxOutputLength` stops every inflation at its bound.
 */
import { inflateSync, constants as zlibConstants } from 'node:zlib';

export const MB = 1024 * 1024;

/** `n` bytes in whole megabytes, for the messages. @param {number} n */
export const megabytes = (n) => `${Math.round(n / MB)} Mo`;

/**
 * zlib output chunk size for `n` compressed bytes: zlib's 16 KiB for small data, up to 1 MiB for big data (a bomb
 * reaches its bound several times faster with big chunks).
 * @param {number} n
 */
export const chunkSizeFor = (n) =>
	Math.min(MB, Math.max(16 * 1024, 2 ** Math.ceil(Math.log2(Math.max(1, n * 4)))));

/** A budget of bytes to inflate, shared by every stream read for one document or one flux. */
export class InflateBudget {
	/** @param {number} bytes */
	constructor(bytes) {
		this.left = bytes;
		/** Set when a bound stopped an inflation. */
		this.exceeded = false;
	}
}

/**
 * zlib inflate that never produces more than `max` bytes nor more than the budget has left; the budget is charged
 * what was produced (all that was allowed when the data wanted more). Returns null when the data is not zlib data
 * or would inflate beyond the bound. A truncated stream gives what it holds.
 * @param {Buffer} data @param {InflateBudget} budget @param {number} max
 * @returns {Buffer|null}
 */
export function inflateBounded(data, budget, max) {
	const limit = Math.min(max, budget.left);
	if (limit <= 0) {
		budget.exceeded = true;
		return null;
	}
	try {
		const options = {
			finishFlush: zlibConstants.Z_SYNC_FLUSH,
			maxOutputLength: limit,
			chunkSize: chunkSizeFor(data.length),
		};
		const out = inflateSync(data, options);
		budget.left -= out.length;
		return out;
	} catch (err) {
		if (/** @type {any} */ (err)?.code === 'ERR_BUFFER_TOO_LARGE') {
			budget.left -= limit;
			budget.exceeded = true;
		}
		return null;
	}
}
