// @ts-check
/**
 * Local emulator of the PISTE gateway + Chorus Pro API (see README.md beside this file).
 *
 * `createSandbox(options)` starts an HTTP server on 127.0.0.1 that serves
 *   - the PISTE token endpoint `POST /api/oauth/token`,
 *   - the Chorus Pro services `/cpro/<group>/v1/...` (routes merged from the service modules, routing.mjs),
 *   - the test hooks under `/__admin/` (no auth, never logged).
 * What happens to each request is in requests.mjs; this file owns the server's life: state, listening, latency
 * timers, closing.
 */
import http from 'node:http';
import { createState, DEMO_CREDENTIALS, RECIPIENT_CREDENTIALS } from './seed.mjs';
import { apiRoutes, adminRoutes } from './routing.mjs';
import { handleRequest } from './requests.mjs';
import { sendReply } from './http.mjs';
import { fail, CODES } from './replies.mjs';

/** @typedef {import('./seed.mjs').State} State */
/**
 * @typedef {{ url: string, tokenUrl: string, apiBaseUrl: string, adminUrl: string,
 *   credentials: { clientId: string, clientSecret: string, technicalLogin: string, technicalPassword: string },
 *   recipientCredentials: { clientId: string, clientSecret: string, technicalLogin: string, technicalPassword: string },
 *   state: State, port: number, close: () => Promise<void> }} Sandbox
 */
/** @typedef {{ port?: number, latencyMs?: number, fluxPollsToFinal?: number, tokenTtlSeconds?: number }} SandboxOptions */

/**
 * Starts a sandbox.
 * @param {SandboxOptions} [options]
 * @returns {Promise<Sandbox>}
 */
export async function createSandbox(options = {}) {
	const state = newState(options);
	const timers = createTimers();
	/** @type {import('./requests.mjs').Server} */
	const server = {
		state,
		routes: apiRoutes(),
		admin: adminRoutes(),
		sleep: timers.sleep,
		isClosed: timers.isClosed,
	};
	const httpServer = http.createServer((req, res) => {
		handleRequest(server, req, res).catch((err) => {
			sendReply(
				res,
				fail(500, CODES.INTERNAL, `Erreur interne du serveur (sandbox) : ${err && err.message}`),
			);
		});
	});
	const port = await listen(httpServer, options.port ?? 0);
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
			timers.closeAll();
			return new Promise((resolve) => {
				httpServer.close(() => resolve());
				httpServer.closeAllConnections(); // also ends hanging requests and keep-alive sockets
			});
		},
	};
}

/**
 * The seeded state of a new sandbox.
 * @param {SandboxOptions} options @returns {State}
 */
function newState(options) {
	const stateOptions = {
		latencyMs: options.latencyMs ?? 0,
		fluxPollsToFinal: options.fluxPollsToFinal ?? 2,
		tokenTtlSeconds: options.tokenTtlSeconds,
	};
	const state = createState(stateOptions);
	// Reset replaces the content of the same object, so references held by tests or modules stay valid.
	state.resetOptions = stateOptions;
	return state;
}

/**
 * The delays of the sandbox (latency, fault delays), all cut short when it closes.
 */
function createTimers() {
	/** @type {Set<NodeJS.Timeout>} */
	const pending = new Set();
	let closed = false;
	return {
		/** @param {number} ms @returns {Promise<void>} */
		sleep: (ms) =>
			new Promise((resolve) => {
				if (!(ms > 0) || closed) {
					resolve(undefined);
					return;
				}
				const t = setTimeout(() => {
					pending.delete(t);
					resolve(undefined);
				}, ms);
				pending.add(t);
			}),
		isClosed: () => closed,
		closeAll() {
			closed = true;
			for (const t of pending) clearTimeout(t);
			pending.clear();
		},
	};
}

/**
 * Listens on 127.0.0.1 and returns the port.
 * @param {http.Server} httpServer @param {number} port @returns {Promise<number>}
 */
async function listen(httpServer, port) {
	await new Promise((resolve, reject) => {
		httpServer.once('error', reject);
		httpServer.listen(port, '127.0.0.1', () => {
			httpServer.off('error', reject);
			resolve(undefined);
		});
	});
	const address = httpServer.address();
	return typeof address === 'object' && address ? address.port : 0;
}
