// @ts-check
/**
 * Route tables: the Chorus Pro routes (`'METHOD /cpro/...'` keys, matched exactly) and the admin routes
 * (`'METHOD /__admin/...'` patterns with `:param` segments), both merged from the modules that define them,
 * and the call of a handler.
 */
import * as admin from './admin.mjs';
import * as transverses from './services/transverses.mjs';
import * as structures from './services/structures.mjs';
import * as utilisateurs from './services/utilisateurs.mjs';
import * as engagementsJuridiques from './services/engagementsJuridiques.mjs';
import * as factures from './services/factures.mjs';
import * as flux from './flux.mjs';
import * as fluxAdmin from './fluxAdmin.mjs';
import * as invoiceAdmin from './invoiceAdmin.mjs';
import { ReplyError, internalError } from './replies.mjs';
import { toReply } from './http.mjs';

/** @typedef {import('./seed.mjs').State} State */
/** @typedef {import('./seed.mjs').TechnicalAccount} TechnicalAccount */
/** @typedef {import('./replies.mjs').Reply} Reply */
/**
 * @typedef {{ state: State, body: any, rawBody: Buffer, headers: import('node:http').IncomingHttpHeaders,
 *   account: TechnicalAccount, clientId: string, now: () => Date, params: Record<string, string>,
 *   query: URLSearchParams, method: string, path: string }} Ctx
 * For admin routes `account` is null (cast) and `clientId` is ''.
 */
/** @typedef {(ctx: Ctx) => Reply | Promise<Reply>} Handler */
/**
 * @typedef {{ key: string, handler: Handler, method: string,
 *   match: (path: string) => Record<string, string>|null }} AdminRoute
 */

/** Modules defining `routes` and/or `adminRoutes`, in the order of the admin index. */
const MODULES = [
	transverses,
	structures,
	utilisateurs,
	engagementsJuridiques,
	factures,
	flux,
	fluxAdmin,
	invoiceAdmin,
	admin,
];

/** @param {any} mod */
const routesOf = (mod) => /** @type {Record<string, Handler>} */ (mod.routes ?? {});
/** @param {any} mod */
const adminRoutesOf = (mod) => /** @type {Record<string, Handler>} */ (mod.adminRoutes ?? {});

/**
 * Merges route objects. A key registered twice is a programming error.
 * @param {Record<string, Handler>[]} tables
 */
function mergeRoutes(tables) {
	/** @type {Map<string, Handler>} */
	const merged = new Map();
	for (const table of tables) {
		for (const [key, handler] of Object.entries(table)) {
			if (merged.has(key)) throw new Error(`Sandbox route registered twice: ${key}`);
			merged.set(key, handler);
		}
	}
	return merged;
}

/** The Chorus Pro routes by `'METHOD /path'`. */
export function apiRoutes() {
	return mergeRoutes(MODULES.map(routesOf));
}

/** `'METHOD /path'` keys of every Chorus Pro route (for the README / admin index). */
export function listRoutes() {
	return [...apiRoutes().keys()];
}

/**
 * The admin routes, patterns like `'POST /__admin/flux/:numero/outcome'` compiled to matchers; literal segments
 * win over parameters (`/invoices/bulk` before `/invoices/:id`).
 * @returns {AdminRoute[]}
 */
export function adminRoutes() {
	const paramCount = (/** @type {string} */ key) =>
		key.split('/').filter((part) => part.startsWith(':')).length;
	return [...mergeRoutes(MODULES.map(adminRoutesOf)).entries()]
		.sort(([a], [b]) => paramCount(a) - paramCount(b))
		.map(([key, handler]) => {
			const [method, pattern] = key.split(' ');
			return { key, handler, method, match: (path) => matchPattern(pattern.split('/'), path) };
		});
}

/**
 * The parameters of `path` if it matches the pattern's segments, else null.
 * @param {string[]} patternParts @param {string} path
 * @returns {Record<string, string>|null}
 */
function matchPattern(patternParts, path) {
	const segments = path.split('/');
	if (segments.length !== patternParts.length) return null;
	/** @type {Record<string, string>} */
	const params = {};
	for (let i = 0; i < patternParts.length; i++) {
		if (patternParts[i].startsWith(':'))
			params[patternParts[i].slice(1)] = decodeURIComponent(segments[i]);
		else if (patternParts[i] !== segments[i]) return null;
	}
	return params;
}

/**
 * Calls a handler: what it returns, or the reply of the ReplyError it throws, or a 500 for any other error.
 * @param {Handler} handler @param {Ctx} ctx @returns {Promise<Reply>}
 */
export async function runHandler(handler, ctx) {
	try {
		return toReply(await handler(ctx));
	} catch (err) {
		if (err instanceof ReplyError) return err.reply;
		return internalError(err);
	}
}
