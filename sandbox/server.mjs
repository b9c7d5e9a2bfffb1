// @ts-check
/**
 * Local emulator of the PISTE gateway + Chorus Pro API (see README.md beside this file).
 *
 * `createSandbox(options)` starts an HTTP server on 127.0.0.1 that serves
 *   - the PISTE token endpoint `POST /api/oauth/token`,
 *   - the Chorus Pro services `/cpro/<group>/v1/...` (routes merged from the service modules),
 *   - the test hooks under `/__admin/` (no auth, never logged).
 *
 * The envelope and pagination helpers below are shared by every service module. They are function
 * declarations on purpose: the service modules import this file while this file imports them (an import
 * cycle), and function declarations are usable before this module's body has run.
 */
import http from 'node:http';
import { createState, DEMO_CREDENTIALS, RECIPIENT_CREDENTIALS } from './seed.mjs';
import { tokenEndpoint, authorize, bodyLimitFor, isJsonContentType, groupOf } from './gateway.mjs';
import * as admin from './admin.mjs';
import * as transverses from './services/transverses.mjs';
import * as structures from './services/structures.mjs';
import * as utilisateurs from './services/utilisateurs.mjs';
import * as engagementsJuridiques from './services/engagementsJuridiques.mjs';
import * as factures from './services/factures.mjs';
import * as flux from './flux.mjs';
import * as invoices from './invoices.mjs';

/** @typedef {import('./seed.mjs').State} State */
/** @typedef {import('./seed.mjs').TechnicalAccount} TechnicalAccount */
/**
 * @typedef {{ state: State, body: any, rawBody: Buffer, headers: import('node:http').IncomingHttpHeaders,
 *   account: TechnicalAccount, clientId: string, now: () => Date, params: Record<string, string>,
 *   query: URLSearchParams, method: string, path: string }} Ctx
 * For admin routes `account` is null (cast) and `clientId` is ''.
 */
/** @typedef {{ status?: number, body?: any, headers?: Record<string, string>, raw?: Buffer|string }} Reply */
/** @typedef {(ctx: Ctx) => Reply | Promise<Reply>} Handler */
/**
 * @typedef {{ url: string, tokenUrl: string, apiBaseUrl: string, adminUrl: string,
 *   credentials: { clientId: string, clientSecret: string, technicalLogin: string, technicalPassword: string },
 *   recipientCredentials: { clientId: string, clientSecret: string, technicalLogin: string, technicalPassword: string },
 *   state: State, port: number, close: () => Promise<void> }} Sandbox
 */
/** @typedef {{ port?: number, latencyMs?: number, fluxPollsToFinal?: number, tokenTtlSeconds?: number }} SandboxOptions */

export const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

/** Success libelle of transverses / structures / utilisateurs / searches. */
export const LIBELLE_OK = 'TRA_MSG_00.000';
/** Success libelle of factures deposer / soumettre / historique / traiter / recycler / completer. */
export const LIBELLE_OK_FACTURES = 'GCU_MSG_01_000';

/**
 * Error codes chosen by the sandbox where docs/chorus-pro-api.md §5.2 has none (documented in README.md).
 */
export const CODES = Object.freeze({
	NO_RESULT: 20000, // TRA_MSG_00.015 (real)
	NOT_FOUND: 20001, // requested object (structure, service...) does not exist or is not accessible
	INVALID_VALUE: 20097, // a field has a value outside its enumeration / wrong type / out of range
	MALFORMED_JSON: 20098, // body is not a JSON object
	MISSING_FIELD: 20099, // a required field is missing
	INTERNAL: 29999, // unexpected sandbox error (HTTP 500)
});

/**
 * Success body `{codeRetour: 0, libelle, ...fields}`. A handler may return it directly (it is recognised by
 * its `codeRetour` key) or wrap it: `{ body: ok(...) }`.
 * @param {string} libelle @param {Record<string, any>} [fields]
 */
export function ok(libelle, fields = {}) {
	return { codeRetour: 0, libelle, ...fields };
}

/**
 * Error reply with an HTTP status and the Chorus envelope.
 * @param {number} status @param {number} codeRetour @param {string} libelle @param {Record<string, any>} [extra]
 * @returns {Reply}
 */
export function fail(status, codeRetour, libelle, extra = {}) {
	return { status, body: { codeRetour, libelle, ...extra } };
}

/** "No result" answer of every search: HTTP 200, codeRetour 20000, no list key. @returns {Reply} */
export function noResult() {
	return { status: 200, body: { codeRetour: CODES.NO_RESULT, libelle: 'TRA_MSG_00.015' } };
}

/** 400 for a missing required field. @param {string} name @returns {Reply} */
export function missingField(name) {
	return fail(400, CODES.MISSING_FIELD, `Le paramètre ${name} est obligatoire.`);
}

/** 400 for an invalid value. @param {string} name @param {any} value @param {string} [why] @returns {Reply} */
export function invalidValue(name, value, why = '') {
	return fail(
		400,
		CODES.INVALID_VALUE,
		`La valeur '${typeof value === 'string' ? value : JSON.stringify(value)}' du paramètre ${name} est invalide.${why ? ' ' + why : ''}`,
	);
}

/** Thrown by helpers (e.g. paginate) to answer with `reply` right away; the server catches it. */
export class ReplyError extends Error {
	/** @param {Reply} reply */
	constructor(reply) {
		super(reply.body?.libelle ?? 'reply');
		this.reply = reply;
	}
}

/** Number of entries kept in the request log (oldest dropped first). */
export const REQUEST_LOG_LIMIT = 1000;

/** Largest accepted page size (no cap is documented; real clients ask up to 10000). */
export const MAX_PAGE_SIZE = 10000;

/**
 * Paginates (and optionally sorts) a result list with a service's pagination block.
 * `block` = `{pageResultatDemandee = 1, nbResultatsParPage = 10, triSens, triColonne, nbResultatsMaximum?}`;
 * null/absent values take the defaults (a wrong block name therefore gives page 1 of 10, like the real API).
 * `sort` maps the allowed `triColonne` values to key functions; with a `triColonne`, `triSens` defaults to
 * Descendant. Throws a ReplyError (HTTP 400, 20097) for a page size above 10000, a non-positive page or size,
 * an unknown triSens or (when `sort` is given) an unknown triColonne.
 * @template T
 * @param {T[]} list
 * @param {any} block
 * @param {{ sort?: Record<string, (item: T) => any> }} [options]
 * @returns {{ items: T[], parametresRetour: { pageCourante: number, pages: number, nbResultatsParPage: number, total: number } }}
 */
export function paginate(list, block, options = {}) {
	const b = block && typeof block === 'object' ? block : {};
	const page = b.pageResultatDemandee ?? 1;
	const size = b.nbResultatsParPage ?? 10;
	if (!Number.isInteger(page) || page < 1)
		throw new ReplyError(invalidValue('pageResultatDemandee', page));
	if (!Number.isInteger(size) || size < 1)
		throw new ReplyError(invalidValue('nbResultatsParPage', size));
	if (size > MAX_PAGE_SIZE) {
		throw new ReplyError(
			invalidValue(
				'nbResultatsParPage',
				size,
				`Le nombre maximum de résultats par page est ${MAX_PAGE_SIZE}.`,
			),
		);
	}
	if (b.triSens != null && b.triSens !== 'Ascendant' && b.triSens !== 'Descendant') {
		throw new ReplyError(
			invalidValue('triSens', b.triSens, 'Valeurs possibles : Ascendant, Descendant.'),
		);
	}
	let items = list;
	if (b.triColonne != null && options.sort) {
		const key = options.sort[b.triColonne];
		if (!key)
			throw new ReplyError(
				invalidValue(
					'triColonne',
					b.triColonne,
					`Valeurs possibles : ${Object.keys(options.sort).join(', ')}.`,
				),
			);
		const dir = b.triSens === 'Ascendant' ? 1 : -1;
		items = [...list].sort((x, y) => dir * compare(key(x), key(y)));
	}
	if (Number.isInteger(b.nbResultatsMaximum) && b.nbResultatsMaximum > 0)
		items = items.slice(0, b.nbResultatsMaximum);
	const total = items.length;
	const pages = Math.ceil(total / size);
	return {
		items: items.slice((page - 1) * size, page * size),
		parametresRetour: { pageCourante: page, pages, nbResultatsParPage: size, total },
	};
}

/**
 * Lowers every `nbResultatsParPage` of the request's paging blocks (top level or one block down) to
 * `cap`, as a server that serves smaller pages than asked would.
 * @param {any} body @param {number} cap
 */
function capPageSizes(body, cap) {
	for (const holder of [body, ...Object.values(body)]) {
		if (
			holder &&
			typeof holder === 'object' &&
			typeof holder.nbResultatsParPage === 'number' &&
			holder.nbResultatsParPage > cap
		) {
			holder.nbResultatsParPage = cap;
		}
	}
}

/** @param {any} a @param {any} b */
function compare(a, b) {
	if (a == null && b == null) return 0;
	if (a == null) return -1;
	if (b == null) return 1;
	if (typeof a === 'number' && typeof b === 'number') return a - b;
	if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
	return String(a).localeCompare(String(b), 'fr');
}

// ---------------------------------------------------------------------------------------------------------------
// Route tables.

/** @param {any} mod */
const moduleRoutes = (mod) => /** @type {Record<string, Handler>} */ (mod.routes ?? {});
/** @param {any} mod */
const moduleAdminRoutes = (mod) => /** @type {Record<string, Handler>} */ (mod.adminRoutes ?? {});

/**
 * Merges the route objects of the service modules. Done when a sandbox is created (not at import time)
 * because of the import cycle with the service modules. A key registered twice is a programming error.
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

function allModules() {
	return [
		transverses,
		structures,
		utilisateurs,
		engagementsJuridiques,
		factures,
		flux,
		invoices,
		admin,
	];
}

/** `'METHOD /path'` keys of every Chorus Pro route (for the README / admin index). */
export function listRoutes() {
	return [...mergeRoutes(allModules().map(moduleRoutes)).keys()];
}

/**
 * Admin route patterns like `'POST /__admin/flux/:numero/outcome'` compiled to matchers.
 * @param {Map<string, Handler>} table
 */
function compileAdmin(table) {
	// Literal segments win over parameters (`/invoices/bulk` before `/invoices/:id`).
	const params = (/** @type {string} */ key) =>
		key.split('/').filter((p) => p.startsWith(':')).length;
	return [...table.entries()]
		.sort(([a], [b]) => params(a) - params(b))
		.map(([key, handler]) => {
			const [method, pattern] = key.split(' ');
			const parts = pattern.split('/');
			return {
				key,
				handler,
				method,
				/** @param {string} path @returns {Record<string, string>|null} */
				match(path) {
					const segs = path.split('/');
					if (segs.length !== parts.length) return null;
					/** @type {Record<string, string>} */
					const params = {};
					for (let i = 0; i < parts.length; i++) {
						if (parts[i].startsWith(':')) params[parts[i].slice(1)] = decodeURIComponent(segs[i]);
						else if (parts[i] !== segs[i]) return null;
					}
					return params;
				},
			};
		});
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP plumbing.

/**
 * Reads a request body, stopping at `limit` bytes (nothing more is buffered). A declared Content-Length above
 * the limit is refused without reading.
 * @param {http.IncomingMessage} req @param {number} limit
 * @returns {Promise<{ buf: Buffer, tooLarge: boolean }>}
 */
export function readBody(req, limit) {
	return new Promise((resolve, reject) => {
		const declared = Number(req.headers['content-length']);
		if (Number.isFinite(declared) && declared > limit) {
			resolve({ buf: Buffer.alloc(0), tooLarge: true });
			return;
		}
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		let done = false;
		/** @param {Buffer} chunk */
		const onData = (chunk) => {
			if (done) return;
			size += chunk.length;
			if (size > limit) {
				done = true;
				req.off('data', onData);
				req.pause();
				resolve({ buf: Buffer.alloc(0), tooLarge: true });
				return;
			}
			chunks.push(chunk);
		};
		req.on('data', onData);
		req.on('end', () => {
			if (!done) {
				done = true;
				resolve({ buf: Buffer.concat(chunks, size), tooLarge: false });
			}
		});
		req.on('error', (err) => {
			if (!done) {
				done = true;
				reject(err);
			}
		});
	});
}

/**
 * @param {http.ServerResponse} res @param {Reply} reply
 */
function send(res, reply) {
	if (res.writableEnded || res.destroyed) return;
	const status = reply.status ?? 200;
	/** @type {Record<string, string>} */
	const headers = { ...(reply.headers ?? {}) };
	/** @type {Buffer} */
	let payload;
	if (reply.raw !== undefined) {
		payload = Buffer.isBuffer(reply.raw) ? reply.raw : Buffer.from(String(reply.raw), 'utf8');
		if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = JSON_CONTENT_TYPE;
	} else if (reply.body !== undefined) {
		payload = Buffer.from(JSON.stringify(reply.body), 'utf8');
		if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = JSON_CONTENT_TYPE;
	} else {
		payload = Buffer.alloc(0);
	}
	headers['Content-Length'] = String(payload.length);
	res.writeHead(status, headers);
	res.end(payload);
}

/** @param {Record<string, string>} headers @param {string} name */
function hasHeader(headers, name) {
	return Object.keys(headers).some((h) => h.toLowerCase() === name);
}

/**
 * A handler may return a Reply or directly a Chorus body (recognised by its `codeRetour`).
 * @param {any} value @returns {Reply}
 */
function toReply(value) {
	if (value && typeof value === 'object' && 'codeRetour' in value)
		return { status: 200, body: value };
	return value ?? { status: 204 };
}

/**
 * Copy of a parsed body for the request log: long strings (base64 files) are kept but the byte count of
 * the whole body is given in `bodyBytes` next to it.
 * @param {Buffer} raw @param {string} contentType
 */
function logBody(raw, contentType) {
	if (raw.length === 0) return null;
	const text = raw.toString('utf8');
	if (/x-www-form-urlencoded/i.test(contentType))
		return Object.fromEntries(new URLSearchParams(text));
	try {
		return JSON.parse(text);
	} catch {
		return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
	}
}

/**
 * Starts a sandbox.
 * @param {SandboxOptions} [options]
 * @returns {Promise<Sandbox>}
 */
export async function createSandbox(options = {}) {
	const stateOptions = {
		latencyMs: options.latencyMs ?? 0,
		fluxPollsToFinal: options.fluxPollsToFinal ?? 2,
		tokenTtlSeconds: options.tokenTtlSeconds,
	};
	/** @type {State} */
	const state = createState(stateOptions);
	// Reset replaces the content of the same object, so references held by tests or modules stay valid.
	state.resetOptions = stateOptions;

	const routes = mergeRoutes(allModules().map(moduleRoutes));
	const adminTable = compileAdmin(mergeRoutes(allModules().map(moduleAdminRoutes)));

	/** @type {Set<NodeJS.Timeout>} */
	const timers = new Set();
	let closed = false;
	/** @param {number} ms */
	const sleep = (ms) =>
		new Promise((resolve) => {
			if (!(ms > 0) || closed) {
				resolve(undefined);
				return;
			}
			const t = setTimeout(() => {
				timers.delete(t);
				resolve(undefined);
			}, ms);
			timers.add(t);
		});

	const server = http.createServer((req, res) => {
		handle(req, res).catch((err) => {
			send(
				res,
				fail(500, CODES.INTERNAL, `Erreur interne du serveur (sandbox) : ${err && err.message}`),
			);
		});
	});

	/** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
	async function handle(req, res) {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const path = url.pathname;
		const method = (req.method ?? 'GET').toUpperCase();
		if (path === '/__admin' || path.startsWith('/__admin/'))
			return handleAdmin(req, res, method, path, url.searchParams);

		/** @type {import('./seed.mjs').LoggedRequest} */
		const entry = {
			seq: ++state.seq.request,
			method,
			path,
			headers: { ...req.headers },
			body: null,
			bodyBytes: 0,
			status: null,
			at: state.clock.now().toISOString(),
			// Requests still unanswered when this one arrived: how many a client runs at once.
			inFlight: state.requests.filter((other) => other.status === null).length,
		};
		state.requests.push(entry);
		// Bounded log: bodies may hold large base64 files (benchmarks send thousands of requests).
		if (state.requests.length > REQUEST_LOG_LIMIT)
			state.requests.splice(0, state.requests.length - REQUEST_LOG_LIMIT);
		const contentType = String(req.headers['content-type'] ?? '');
		/** @param {Reply} reply */
		const answer = (reply) => {
			entry.status = reply.status ?? 200;
			entry.answeredAt = state.clock.now().toISOString();
			send(res, reply);
		};
		/** @param {Buffer} buf */
		const noteBody = (buf) => {
			entry.bodyBytes = buf.length;
			entry.body = logBody(buf, contentType);
		};

		// 1. Faults first.
		const fault = takeFault(state, path);
		if (fault) {
			entry.fault = fault.reset
				? 'reset'
				: fault.hang
					? 'hang'
					: fault.status || fault.body !== undefined || fault.rawBody !== undefined
						? 'reply'
						: 'delay';
			// Read the body to log it, except for a plain delay where the normal path reads it afterwards.
			if (entry.fault !== 'delay') noteBody((await readBody(req, bodyLimitFor(path))).buf);
			await sleep(fault.delayMs ?? 0);
			if (closed) return;
			if (fault.reset) {
				req.socket.destroy();
				return;
			}
			if (fault.hang) return; // never answered; closed with the server
			if (entry.fault === 'reply') {
				answer({
					status: fault.status ?? 200,
					headers: fault.headers,
					...(fault.rawBody !== undefined
						? { raw: fault.rawBody }
						: fault.body !== undefined
							? { body: fault.body }
							: {}),
				});
				return;
			}
		}
		await sleep(state.config.latencyMs);
		if (closed) return;

		if (path === '/api/oauth/token') {
			if (method !== 'POST') {
				answer({ status: 405, headers: { Allow: 'POST' }, body: { error: 'invalid_request' } });
				return;
			}
			const { buf, tooLarge } = await readBody(req, 64 * 1024);
			if (tooLarge) {
				answer(tooLargeReply());
				return;
			}
			noteBody(buf);
			answer(tokenEndpoint(state, contentType, buf));
			return;
		}

		if (!path.startsWith('/cpro/')) {
			answer({ status: 404 });
			return;
		}

		// 2. Unknown route (or wrong method): PISTE answers 403 with an empty body.
		const handler = routes.get(`${method} ${path}`);
		const group = groupOf(path);
		if (!handler || !group) {
			answer({ status: 403 });
			return;
		}

		// 3-5. Bearer, subscription, cpro-account.
		const auth = authorize(state, req.headers, group);
		if ('reply' in auth) {
			answer(auth.reply);
			return;
		}

		/** @type {any} */
		let body = {};
		/** @type {Buffer} */
		let rawBody = Buffer.alloc(0);
		if (method === 'POST') {
			// 6. JSON content type.
			if (!isJsonContentType(contentType)) {
				answer({ status: 415 });
				return;
			}
			// 7. Size limit, read streaming.
			const { buf, tooLarge } = await readBody(req, bodyLimitFor(path));
			// Refused unread: log the declared size (or -1 for a chunked upload).
			if (tooLarge) {
				entry.bodyBytes = Number(req.headers['content-length']) || -1;
				answer(tooLargeReply());
				return;
			}
			rawBody = buf;
			noteBody(buf);
			// 8. Malformed JSON.
			try {
				body = JSON.parse(buf.toString('utf8'));
			} catch {
				answer(
					fail(
						400,
						CODES.MALFORMED_JSON,
						"Requête mal formulée : le corps de la requête n'est pas un JSON valide.",
					),
				);
				return;
			}
			if (!body || typeof body !== 'object' || Array.isArray(body)) {
				answer(
					fail(
						400,
						CODES.MALFORMED_JSON,
						'Requête mal formulée : le corps de la requête doit être un objet JSON.',
					),
				);
				return;
			}
		}

		if (state.config.pageSizeCap) capPageSizes(body, state.config.pageSizeCap);

		/** @type {Ctx} */
		const ctx = {
			state,
			body,
			rawBody,
			headers: req.headers,
			account: auth.account,
			clientId: auth.clientId,
			now: () => state.clock.now(),
			params: {},
			query: url.searchParams,
			method,
			path,
		};
		answer(await runHandler(handler, ctx));
	}

	/**
	 * @param {http.IncomingMessage} req @param {http.ServerResponse} res @param {string} method @param {string} path
	 * @param {URLSearchParams} query
	 */
	async function handleAdmin(req, res, method, path, query) {
		if (method === 'GET' && (path === '/__admin' || path === '/__admin/')) {
			send(res, { body: { admin: adminTable.map((r) => r.key), routes: [...routes.keys()] } });
			return;
		}
		/** @type {Record<string, string>|null} */
		let params = null;
		const route = adminTable.find((r) => r.method === method && (params = r.match(path)) !== null);
		if (!route || !params) {
			send(res, { status: 404, body: { error: `Unknown admin route ${method} ${path}` } });
			return;
		}
		const { buf, tooLarge } = await readBody(req, 16 * 1024 * 1024);
		if (tooLarge) {
			send(res, { status: 413, body: { error: 'Admin body too large' } });
			return;
		}
		/** @type {any} */
		let body = {};
		if (buf.length) {
			try {
				body = JSON.parse(buf.toString('utf8'));
			} catch {
				send(res, { status: 400, body: { error: 'Malformed JSON' } });
				return;
			}
		}
		/** @type {Ctx} */
		const ctx = {
			state,
			body,
			rawBody: buf,
			headers: req.headers,
			account: /** @type {any} */ (null),
			clientId: '',
			now: () => state.clock.now(),
			params,
			query,
			method,
			path,
		};
		send(res, await runHandler(route.handler, ctx));
	}

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => {
			server.off('error', reject);
			resolve(undefined);
		});
	});
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	const url = `http://127.0.0.1:${port}`;

	return {
		url,
		port,
		tokenUrl: `${url}/api/oauth/token`,
		apiBaseUrl: url,
		adminUrl: `${url}/__admin`,
		credentials: { ...DEMO_CREDENTIALS },
		recipientCredentials: { ...RECIPIENT_CREDENTIALS },
		state,
		close() {
			closed = true;
			for (const t of timers) clearTimeout(t);
			timers.clear();
			return new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections(); // also ends hanging requests and keep-alive sockets
			});
		},
	};
}

/** @returns {Reply} */
function tooLargeReply() {
	// Close the connection: the rest of the upload is not read.
	return { status: 413, headers: { Connection: 'close' } };
}

/**
 * @param {Handler} handler @param {Ctx} ctx @returns {Promise<Reply>}
 */
async function runHandler(handler, ctx) {
	try {
		return toReply(await handler(ctx));
	} catch (err) {
		if (err instanceof ReplyError) return err.reply;
		return fail(
			500,
			CODES.INTERNAL,
			`Erreur interne du serveur (sandbox) : ${err instanceof Error ? err.message : String(err)}`,
		);
	}
}

/**
 * The first fault whose path prefix matches; it lets its first `after` matching requests through,
 * then its count is decremented and it is dropped at zero.
 * @param {State} state @param {string} path
 */
function takeFault(state, path) {
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
