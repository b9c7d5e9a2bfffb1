// @ts-check
/**
 * Generic test hooks under `/__admin/` (no auth, JSON in and out, never written to the request log):
 * request log, faults, reset, config, clock and token expiry, state summary.
 */
import { createState } from './seed.mjs';
import { parseFault } from './faults.mjs';
import { isObject } from './fields.mjs';

/** @typedef {import('./routing.mjs').Ctx} Ctx */
/** @typedef {import('./replies.mjs').Reply} Reply */
/** @typedef {import('./seed.mjs').Fault} Fault */
/** @typedef {import('./seed.mjs').State} State */

/** @param {string} message @returns {Reply} */
const bad = (message) => ({ status: 400, body: { error: message } });

/**
 * Replaces the content of `state` with a fresh seed, keeping the same object (and the creation options).
 * @param {State} state
 */
export function resetState(state) {
	const options = state.resetOptions ?? {};
	const fresh = createState(options);
	for (const key of Object.keys(state)) delete state[key];
	Object.assign(state, fresh, { resetOptions: options });
}

/** @param {State} state */
function clockInfo(state) {
	return { now: state.clock.now().toISOString(), offsetSeconds: state.clock.offsetMs / 1000 };
}

/** @type {Record<string, (ctx: Ctx) => Reply>} */
export const adminRoutes = {
	'GET /__admin/requests': ({ state, query }) => {
		const prefix = query.get('path');
		const requests = prefix
			? state.requests.filter((r) => r.path.startsWith(prefix))
			: state.requests;
		return { body: { requests } };
	},
	'DELETE /__admin/requests': ({ state }) => {
		state.requests.length = 0;
		return { body: { ok: true } };
	},

	'GET /__admin/faults': ({ state }) => ({ body: { faults: state.faults } }),
	'POST /__admin/faults': ({ state, body }) => {
		const list = Array.isArray(body) ? body : [body];
		/** @type {Fault[]} */
		const added = [];
		for (const item of list) {
			const fault = parseFault(item);
			if (typeof fault === 'string') return bad(fault);
			added.push(fault);
		}
		state.faults.push(...added);
		return { body: { ok: true, faults: state.faults } };
	},
	'DELETE /__admin/faults': ({ state }) => {
		state.faults.length = 0;
		return { body: { ok: true } };
	},

	'POST /__admin/reset': ({ state }) => {
		resetState(state);
		return { body: { ok: true } };
	},

	'GET /__admin/config': ({ state }) => ({ body: { config: state.config } }),
	'POST /__admin/config': ({ state, body }) => {
		if (!isObject(body)) return bad('body must be a JSON object');
		for (const key of ['latencyMs', 'fluxPollsToFinal', 'tokenTtlSeconds']) {
			if (body[key] === undefined) continue;
			if (typeof body[key] !== 'number' || !(body[key] >= 0))
				return bad(`${key} must be a number >= 0`);
			/** @type {any} */ (state.config)[key] = body[key];
		}
		if (body.pageSizeCap !== undefined) {
			if (
				body.pageSizeCap !== null &&
				!(Number.isInteger(body.pageSizeCap) && body.pageSizeCap >= 1)
			) {
				return bad('pageSizeCap must be an integer >= 1, or null');
			}
			state.config.pageSizeCap = body.pageSizeCap;
		}
		return { body: { config: state.config } };
	},

	'GET /__admin/clock': ({ state }) => ({ body: clockInfo(state) }),
	'POST /__admin/clock': ({ state, body }) => {
		if (
			!isObject(body) ||
			typeof body.advanceSeconds !== 'number' ||
			!Number.isFinite(body.advanceSeconds)
		) {
			return bad('advanceSeconds (number) is required');
		}
		state.clock.offsetMs += body.advanceSeconds * 1000;
		return { body: clockInfo(state) };
	},
	'POST /__admin/tokens/expire': ({ state }) => {
		const now = state.clock.now().getTime();
		for (const t of state.tokens.values()) t.expiresAt = Math.min(t.expiresAt, now);
		return { body: { ok: true, expired: state.tokens.size } };
	},

	'GET /__admin/state': ({ state }) => {
		/** @type {Record<string, number>} */
		const counts = {};
		for (const [key, value] of Object.entries(state)) {
			if (Array.isArray(value)) counts[key] = value.length;
			else if (value instanceof Map || value instanceof Set) counts[key] = value.size;
		}
		return {
			body: {
				createdAt: state.createdAt.toISOString(),
				clock: clockInfo(state),
				config: state.config,
				counts,
				seq: state.seq,
			},
		};
	},
};
