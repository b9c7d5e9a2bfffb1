// @ts-check
/**
 * The n8n workflows and credentials of the benchmark, as JSON for `n8n import:*`.
 *
 * Timed workflows start from a Webhook (run many times by one `n8n start`); memory workflows start
 * from a Manual Trigger (each run is one `n8n execute` process, whose peak RSS is measured). In both,
 * the node under measure is named MEASURED and is the last node.
 */
import { createHash } from 'node:crypto';

import { asCustomExtension, sandboxCredential } from '../n8n.mjs';

export { sandboxCredential };

/** @typedef {import('./jobs.mjs').Job} Job */

/** The measured node of every workflow. */
export const MEASURED = 'Measured';

/**
 * @param {string} name @param {string} type @param {number} typeVersion @param {object} parameters
 * @param {object} [credentials]
 */
export function node(name, type, typeVersion, parameters, credentials) {
	return {
		id: name.toLowerCase().replace(/\W+/g, '-'),
		name,
		type,
		typeVersion,
		position: [0, 0],
		parameters,
		...(credentials ? { credentials } : {}),
	};
}

/**
 * A workflow that runs `nodes` one after the other from `trigger`.
 * @param {string} id @param {any} trigger @param {any[]} nodes
 */
function linear(id, trigger, nodes) {
	const all = [trigger, ...nodes].map((n, i) => ({ ...n, position: [220 * i, 0] }));
	/** @type {Record<string, any>} */
	const connections = {};
	for (let i = 0; i + 1 < all.length; i++)
		connections[all[i].name] = { main: [[{ node: all[i + 1].name, type: 'main', index: 0 }]] };
	return asCustomExtension({
		id,
		name: `bench ${id}`,
		active: false,
		nodes: all,
		connections,
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
	});
}

/** @param {string} id @param {any[]} nodes run by `n8n execute --id` */
export function manualWorkflow(id, nodes) {
	return linear(id, node('Start', 'n8n-nodes-base.manualTrigger', 1, {}), nodes);
}

/**
 * Run by `POST /webhook/<id>`, answered when the last node is done; the request body is the
 * trigger's `body`.
 * @param {string} id @param {any[]} nodes
 */
export function webhookWorkflow(id, nodes) {
	const hash = createHash('sha256').update(id).digest('hex');
	const webhookId = `${hash.slice(0, 8)}-${hash.slice(8, 12)}-4${hash.slice(13, 16)}-8${hash.slice(17, 20)}-${hash.slice(20, 32)}`;
	return linear(
		id,
		{
			...node('Start', 'n8n-nodes-base.webhook', 2, {
				httpMethod: 'POST',
				path: id,
				responseMode: 'lastNode',
				responseData: 'noData',
				options: {},
			}),
			webhookId,
		},
		nodes,
	);
}

/**
 * The Chorus Pro node; `concurrency` undefined leaves the node's parameter at its default.
 * @param {string} credentialId @param {object} parameters @param {number} [concurrency]
 */
export function chorusNode(credentialId, parameters, concurrency) {
	return node(
		MEASURED,
		'n8n-nodes-chorus-pro.chorusPro',
		1,
		concurrency === undefined ? parameters : { ...parameters, concurrency },
		{ chorusProApi: { id: credentialId, name: credentialId } },
	);
}

/**
 * The HTTP Request node (4.5) as a user wires it: generic OAuth2 credential, cpro-account header,
 * JSON body, every other option at n8n's default (no batching: no item waits for another).
 * @param {string} credentialId @param {string} url @param {string} cproAccount
 * @param {string} jsonBody @param {object} [options] @param {string} [name]
 */
export function httpNode(credentialId, url, cproAccount, jsonBody, options = {}, name = MEASURED) {
	return node(
		name,
		'n8n-nodes-base.httpRequest',
		4.5,
		{
			method: 'POST',
			url,
			authentication: 'genericCredentialType',
			genericAuthType: 'oAuth2Api',
			sendHeaders: true,
			specifyHeaders: 'keypair',
			headerParameters: { parameters: [{ name: 'cpro-account', value: cproAccount }] },
			sendBody: true,
			contentType: 'json',
			specifyBody: 'json',
			jsonBody,
			options,
		},
		{ oAuth2Api: { id: credentialId, name: credentialId } },
	);
}

/**
 * n8n's generic OAuth2 credential, client credentials grant, on the sandbox's token URL.
 * @param {string} id @param {{ tokenUrl: string, credentials: { clientId: string, clientSecret: string } }} sandbox
 */
export function oauthCredential(id, sandbox) {
	return {
		id,
		name: id,
		type: 'oAuth2Api',
		data: {
			useDynamicClientRegistration: false,
			grantType: 'clientCredentials',
			accessTokenUrl: sandbox.tokenUrl,
			clientId: sandbox.credentials.clientId,
			clientSecret: sandbox.credentials.clientSecret,
			scope: 'openid',
			authentication: 'body',
		},
	};
}

/** @param {string} fileSelector @param {string} [name] */
export const readFiles = (fileSelector, name = 'Read files') =>
	node(name, 'n8n-nodes-base.readWriteFile', 1.1, {
		operation: 'read',
		fileSelector,
		options: {},
	});

/** Extract From File: the binary `data` as base64 in `json.fichierFlux`. @param {string} [name] */
export const toBase64 = (name = 'To base64') =>
	node(name, 'n8n-nodes-base.extractFromFile', 1.1, {
		operation: 'binaryToPropery',
		binaryPropertyName: 'data',
		destinationKey: 'fichierFlux',
		options: { keepSource: 'json' },
	});

/** A Code node making `count` items `{ invoiceId }` from `first`, both read from the webhook body. */
export const invoiceIdsFromBody = () =>
	node('Invoice ids', 'n8n-nodes-base.code', 2, {
		mode: 'runOnceForAllItems',
		jsCode:
			'const { first, count } = $input.first().json.body;\nreturn Array.from({ length: count }, (_, i) => ({ json: { invoiceId: String(first + i) } }));',
	});

/**
 * One workflow and one credential per n8n run, so that every run starts without a token, as a first
 * run does; two warm-up workflows read a few statuses with (a) and (b).
 * @param {Job[]} jobs @param {Job | undefined} warmJob @param {import('./jobs.mjs').MemoryCase[]} cases
 * @param {number[]} rounds @param {import('./measure.mjs').Sandbox} sandbox
 */
export function runWorkflows(jobs, warmJob, cases, rounds, sandbox) {
	/** @type {object[]} */
	const workflows = [];
	/** @type {object[]} */
	const credentials = [];
	/** @type {string[]} */
	const timedIds = [];
	/** @type {Array<[Job, import('./jobs.mjs').N8nVariant, string]>} */
	const timed = [];
	if (warmJob && jobs.length) timed.push([warmJob, 'a', 'warm-a'], [warmJob, 'b', 'warm-b']);
	for (const job of jobs)
		for (const round of rounds)
			for (const variant of job.variants)
				if (variant !== 'c' && variant !== 'd')
					timed.push([job, variant, `${job.key}-${variant}-${round}`]);
	for (const [job, variant, id] of timed) {
		const made = job.workflow(variant, id);
		workflows.push(made.workflow);
		credentials.push(made.credential);
		timedIds.push(id);
	}
	for (const c of cases)
		for (const round of rounds) {
			const id = `mem-${c.key}-${round}`;
			workflows.push(c.workflow(id));
			if (c.credential) credentials.push(sandboxCredential(sandbox, id, id));
		}
	return { workflows, credentials, timedIds };
}
