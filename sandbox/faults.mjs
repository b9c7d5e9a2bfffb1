// @ts-check
/**
 * Faults injected by the tests (`POST /__admin/faults`, see README.md): how a fault description is checked,
 * which request a fault hits, and what it does to that request (a canned reply, a delay, a reset socket, no
 * answer at all). A request hit by a fault is logged like any other.
 */
import { readBody } from './http.mjs';
import { bodyLimitFor } from './gateway.mjs';
import { isObject } from './fields.mjs';

/** @typedef {import('./seed.mjs').Fault} Fault */
/** @typedef {import('./seed.mjs').State} State */
/** @typedef {import('./requests.mjs').Exchange} Exchange */

/**
 * Validates a fault description (see README.md): the fault, or the reason it is refused.
 * @param {any} description @returns {Fault | string}
 */
export function parseFault(description) {
	const problem = faultProblem(description);
	if (problem) return problem;
	const d = description;
	/** @type {Fault} */
	const fault = { count: d.count ?? 1 };
	if (d.path !== undefined) fault.path = d.path;
	if (d.status !== undefined) fault.status = d.status;
	if (d.body !== undefined) fault.body = d.body;
	if (d.rawBody !== undefined) fault.rawBody = d.rawBody;
	if (d.headers !== undefined)
		fault.headers = Object.fromEntries(Object.entries(d.headers).map(([k, v]) => [k, String(v)]));
	if (d.delayMs !== undefined) fault.delayMs = d.delayMs;
	if (d.after) fault.after = d.after;
	if (d.reset === true) fault.reset = true;
	if (d.hang === true) fault.hang = true;
	return fault;
}

/** What is wrong with a fault description, or '' if nothing. @param {any} d */
function faultProblem(d) {
	if (!isObject(d)) return 'body must be a JSON object';
	const count = d.count ?? 1;
	if (!Number.isInteger(count) || count < 1) return 'count must be a positive integer';
	if (d.path !== undefined && (typeof d.path !== 'string' || !d.path.startsWith('/')))
		return 'path must be a string starting with /';
	if (d.status !== undefined && (!Number.isInteger(d.status) || d.status < 100 || d.status > 599))
		return 'status must be an HTTP status';
	if (d.rawBody !== undefined && typeof d.rawBody !== 'string') return 'rawBody must be a string';
	if (d.headers !== undefined && !isObject(d.headers)) return 'headers must be an object';
	if (d.delayMs !== undefined && (typeof d.delayMs !== 'number' || d.delayMs < 0))
		return 'delayMs must be a number >= 0';
	if (d.after !== undefined && (!Number.isInteger(d.after) || d.after < 0))
		return 'after must be an integer >= 0';
	return '';
}

/**
 * The first fault whose path prefix matches; it lets its first `after` matching requests through,
 * then its count is decremented and it is dropped at zero.
 * @param {State} state @param {string} path
 */
export function takeFault(state, path) {
	const i = state.faults.findIndex((f) => f.count > 0 && (!f.path || path.startsWith(f.path)));
	if (i < 0) return null;
	const fault = state.faults[i];
	if (fault.after) {
		fault.after -= 1;
		return null;
	}
	fault.count -= 1;
	if (fault.count <= 0) state.faults.splice(i, 1);
	return fault;
}

/** What a fault does, as the request log names it. @param {Fault} fault */
function faultKind(fault) {
	if (fault.reset) return 'reset';
	if (fault.hang) return 'hang';
	if (fault.status || fault.body !== undefined || fault.rawBody !== undefined) return 'reply';
	return 'delay';
}

/**
 * Applies the fault that hits this request, if any. Returns true when the request is dealt with (answered,
 * reset, left hanging, or the sandbox closed meanwhile); false when it goes on normally (no fault, or a plain
 * delay).
 * @param {Exchange} exchange @param {{ sleep: (ms: number) => Promise<void>, isClosed: () => boolean }} timers
 */
export async function applyFault(exchange, timers) {
	const { state, req, path, entry } = exchange;
	const fault = takeFault(state, path);
	if (!fault) return false;
	entry.fault = faultKind(fault);
	// Read the body to log it, except for a plain delay where the normal path reads it afterwards.
	if (entry.fault !== 'delay') exchange.noteBody((await readBody(req, bodyLimitFor(path))).buf);
	await timers.sleep(fault.delayMs ?? 0);
	if (timers.isClosed()) return true;
	if (fault.reset) {
		req.socket.destroy();
		return true;
	}
	if (fault.hang) return true; // never answered; closed with the server
	if (entry.fault !== 'reply') return false;
	exchange.answer({
		status: fault.status ?? 200,
		headers: fault.headers,
		...(fault.rawBody !== undefined
			? { raw: fault.rawBody }
			: fault.body !== undefined
				? { body: fault.body }
				: {}),
	});
	return true;
}
