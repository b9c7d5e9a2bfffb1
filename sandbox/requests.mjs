// @ts-check
/**
 * What happens to one HTTP request, in the order of README.md "Gateway": it is logged, a fault may hit it, the
 * configured latency delays it, then it goes to the PISTE token endpoint or through the gateway checks to a
 * Chorus Pro service. Admin hooks (`/__admin/`) skip all that: never logged, no fault, no latency, no auth.
 */
import { readBody, sendReply, bodyForLog, tooLargeReply } from './http.mjs';
import { tokenEndpoint, authorize, bodyLimitFor, isJsonContentType, groupOf } from './gateway.mjs';
import { applyFault } from './faults.mjs';
import { runHandler } from './routing.mjs';
import { fail, capPageSizes, CODES } from './replies.mjs';

/** @typedef {import('./seed.mjs').State} State */
/** @typedef {import('./seed.mjs').LoggedRequest} LoggedRequest */
/** @typedef {import('./replies.mjs').Reply} Reply */
/** @typedef {import('./routing.mjs').Ctx} Ctx */
/** @typedef {import('./routing.mjs').Handler} Handler */
/** @typedef {import('./routing.mjs').AdminRoute} AdminRoute */
/**
 * What a running sandbox gives each request.
 * @typedef {{ state: State, routes: Map<string, Handler>, admin: AdminRoute[],
 *   sleep: (ms: number) => Promise<void>, isClosed: () => boolean }} Server
 */
/**
 * One logged request and its answer.
 * @typedef {{ state: State, req: import('node:http').IncomingMessage, method: string, path: string,
 *   query: URLSearchParams, contentType: string, entry: LoggedRequest,
 *   answer: (reply: Reply) => void, noteBody: (buf: Buffer) => void }} Exchange
 */

/** Number of entries kept in the request log (oldest dropped first). */
export const REQUEST_LOG_LIMIT = 1000;

/** Largest body of a token request. */
const TOKEN_BODY_LIMIT = 64 * 1024;
/** Largest body of an admin hook (bulk bodies, forced outcomes). */
const ADMIN_BODY_LIMIT = 16 * 1024 * 1024;

/**
 * Handles one request.
 * @param {Server} server @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
 */
export async function handleRequest(server, req, res) {
	const url = new URL(req.url ?? '/', 'http://127.0.0.1');
	const path = url.pathname;
	const method = (req.method ?? 'GET').toUpperCase();
	if (path === '/__admin' || path.startsWith('/__admin/'))
		return handleAdmin(server, req, res, method, path, url.searchParams);
	const exchange = logRequest(server.state, req, res, method, path, url.searchParams);
	// 1. Faults first.
	if (await applyFault(exchange, server)) return;
	await server.sleep(server.state.config.latencyMs);
	if (server.isClosed()) return;
	if (path === '/api/oauth/token') return tokenRequest(exchange);
	if (!path.startsWith('/cpro/')) return exchange.answer({ status: 404 });
	return apiRequest(server, exchange);
}

/**
 * Adds the request to the log and returns the Exchange that answers it (and notes its answer in the log).
 * @param {State} state @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
 * @param {string} method @param {string} path @param {URLSearchParams} query
 * @returns {Exchange}
 */
function logRequest(state, req, res, method, path, query) {
	/** @type {LoggedRequest} */
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
	return {
		state,
		req,
		method,
		path,
		query,
		contentType,
		entry,
		answer(reply) {
			entry.status = reply.status ?? 200;
			entry.answeredAt = state.clock.now().toISOString();
			sendReply(res, reply);
		},
		noteBody(buf) {
			entry.bodyBytes = buf.length;
			entry.body = bodyForLog(buf, contentType);
		},
	};
}

/** `POST /api/oauth/token`. @param {Exchange} exchange */
async function tokenRequest(exchange) {
	if (exchange.method !== 'POST') {
		exchange.answer({
			status: 405,
			headers: { Allow: 'POST' },
			body: { error: 'invalid_request' },
		});
		return;
	}
	const { buf, tooLarge } = await readBody(exchange.req, TOKEN_BODY_LIMIT);
	if (tooLarge) {
		exchange.answer(tooLargeReply());
		return;
	}
	exchange.noteBody(buf);
	exchange.answer(tokenEndpoint(exchange.state, exchange.contentType, buf));
}

/**
 * A `/cpro/**` request: gateway checks 2–8, then the service.
 * @param {Server} server @param {Exchange} exchange
 */
async function apiRequest(server, exchange) {
	const { state, req, method, path } = exchange;
	// 2. Unknown route (or wrong method): PISTE answers 403 with an empty body.
	const handler = server.routes.get(`${method} ${path}`);
	const group = groupOf(path);
	if (!handler || !group) return exchange.answer({ status: 403 });
	// 3-5. Bearer, subscription, cpro-account.
	const auth = authorize(state, req.headers, group);
	if ('reply' in auth) return exchange.answer(auth.reply);
	/** @type {{ body: any, rawBody: Buffer }} */
	let read = { body: {}, rawBody: Buffer.alloc(0) };
	if (method === 'POST') {
		const posted = await readJsonBody(exchange);
		if ('reply' in posted) return exchange.answer(posted.reply);
		read = posted;
	}
	if (state.config.pageSizeCap) capPageSizes(read.body, state.config.pageSizeCap);
	/** @type {Ctx} */
	const ctx = {
		state,
		body: read.body,
		rawBody: read.rawBody,
		headers: req.headers,
		account: auth.account,
		clientId: auth.clientId,
		now: () => state.clock.now(),
		params: {},
		query: exchange.query,
		method,
		path,
	};
	exchange.answer(await runHandler(handler, ctx));
}

/**
 * Gateway checks 6–8 on a POST body: JSON content type, size limit (read streaming), a JSON object.
 * @param {Exchange} exchange
 * @returns {Promise<{ reply: Reply } | { body: any, rawBody: Buffer }>}
 */
async function readJsonBody(exchange) {
	const { req, path, entry } = exchange;
	// 6. JSON content type.
	if (!isJsonContentType(exchange.contentType)) return { reply: { status: 415 } };
	// 7. Size limit, read streaming.
	const { buf, tooLarge } = await readBody(req, bodyLimitFor(path));
	if (tooLarge) {
		// Refused unread: log the declared size (or -1 for a chunked upload).
		entry.bodyBytes = Number(req.headers['content-length']) || -1;
		return { reply: tooLargeReply() };
	}
	exchange.noteBody(buf);
	// 8. Malformed JSON.
	/** @type {any} */
	let body;
	try {
		body = JSON.parse(buf.toString('utf8'));
	} catch {
		return { reply: malformed("le corps de la requête n'est pas un JSON valide.") };
	}
	if (!body || typeof body !== 'object' || Array.isArray(body))
		return { reply: malformed('le corps de la requête doit être un objet JSON.') };
	return { body, rawBody: buf };
}

/** @param {string} why @returns {Reply} */
const malformed = (why) => fail(400, CODES.MALFORMED_JSON, `Requête mal formulée : ${why}`);

/**
 * An admin hook: the index at `/__admin/`, or the matching admin route with its JSON body.
 * @param {Server} server @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
 * @param {string} method @param {string} path @param {URLSearchParams} query
 */
async function handleAdmin(server, req, res, method, path, query) {
	if (method === 'GET' && (path === '/__admin' || path === '/__admin/')) {
		const index = { admin: server.admin.map((r) => r.key), routes: [...server.routes.keys()] };
		sendReply(res, { body: index });
		return;
	}
	/** @type {Record<string, string>|null} */
	let params = null;
	const route = server.admin.find((r) => r.method === method && (params = r.match(path)) !== null);
	if (!route || !params) {
		sendReply(res, { status: 404, body: { error: `Unknown admin route ${method} ${path}` } });
		return;
	}
	const { buf, tooLarge } = await readBody(req, ADMIN_BODY_LIMIT);
	if (tooLarge) {
		sendReply(res, { status: 413, body: { error: 'Admin body too large' } });
		return;
	}
	/** @type {any} */
	let body = {};
	if (buf.length) {
		try {
			body = JSON.parse(buf.toString('utf8'));
		} catch {
			sendReply(res, { status: 400, body: { error: 'Malformed JSON' } });
			return;
		}
	}
	/** @type {Ctx} */
	const ctx = {
		state: server.state,
		body,
		rawBody: buf,
		headers: req.headers,
		account: /** @type {any} */ (null),
		clientId: '',
		now: () => server.state.clock.now(),
		params,
		query,
		method,
		path,
	};
	sendReply(res, await runHandler(route.handler, ctx));
}
