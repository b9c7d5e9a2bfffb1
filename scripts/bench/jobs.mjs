// @ts-check
/**
 * The benchmark's job table: what each job asks of each variant, how many requests it needs at
 * least, and how to count what it got. Measuring is measure.mjs's business, printing report.mjs's.
 *
 * Variants: (a) this node at its default concurrency, (a1) this node with `concurrency: 1`,
 * (b) n8n's HTTP Request node as a user wires it (no batching: every item started without waiting
 * for the others; a generic OAuth2 credential), (c) a bare `fetch` loop, one request after the other, (d) a bare `fetch` pool at
 * the node's default concurrency. (c) and (d) run in the bench process with one token. At the base
 * latency the status job also runs (af): (a) with a fixed invoice id instead of the usual
 * `{{ $json.invoiceId }}`, to tell n8n's cost of evaluating an expression per item from the node's.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { makeFacturXPdf, makeUblXml, padPdf } from '../../sandbox/fixtures.mjs';
import { admin, pool } from './measure.mjs';
import {
	MEASURED,
	chorusNode,
	httpNode,
	invoiceIdsFromBody,
	manualWorkflow,
	oauthCredential,
	readFiles,
	sandboxCredential,
	toBase64,
	webhookWorkflow,
} from './workflows.mjs';

const MB = 1024 * 1024;

/** Page size the node asks for (transport/services.ts MAX_PAGE_SIZE); the other variants too. */
export const PAGE_SIZE = 1000;
export const SEARCH_PATH = '/cpro/factures/v1/rechercher/fournisseur';
const DEPOSIT_PATH = '/cpro/factures/v1/deposer/flux';
export const STATUS_PATH = '/cpro/factures/v1/consulter/fournisseur';
const UBL_SYNTAX = 'IN_DP_E1_UBL_INVOICE';

/** @typedef {'a' | 'af' | 'a1' | 'b' | 'c' | 'd'} Variant */
/** @typedef {'a' | 'af' | 'a1' | 'b'} N8nVariant */
/** @typedef {(route: string, body: object) => Promise<any>} Post */
/** @typedef {import('../../sandbox/server.mjs').Sandbox} Sandbox */
/**
 * `bigFiles`: the large PDF, then one twice as large; `smallFile` the same invoice unpadded.
 * @typedef {{ sandbox: Sandbox, depositDir: string, depositFiles: string[], bigFiles: [string, string], smallFile: string,
 *   statusFirstId: () => number, concurrency: number }} World
 */
/**
 * One job at one latency. `variants` run in this order in every round; `floorOf` names the variant
 * each one is compared with.
 * @typedef {{ key: string, title: string, latencyMs: number, items: number, minRequests: number,
 *   variants: Variant[], floorOf: Partial<Record<Variant, Variant>>, note?: string,
 *   body: () => object, workflow: (variant: N8nVariant, id: string) => { workflow: object, credential: object },
 *   count: (variant: N8nVariant, items: any[]) => number,
 *   floor: (post: Post, concurrency: number) => Promise<number> }} Job
 */
/**
 * One workflow of the memory job, run as its own `n8n execute` process.
 * `size` is the file's size in multiples of `--file-mb`; `readNode` and `depositNode` name the nodes
 * whose RSS rise is reported.
 * @typedef {{ key: string, label: string, size: number, credential?: boolean, readNode?: string,
 *   depositNode?: string, workflow: (id: string) => object, check: (items: any[]) => boolean }} MemoryCase
 */

export const LABELS = Object.freeze({
	a: '(a) this node',
	af: '(af) this node, fixed invoice id',
	a1: '(a1) this node, concurrency 1',
	b: '(b) HTTP Request',
	c: '(c) fetch loop',
	d: '(d) fetch pool',
});

/** @param {Sandbox} sandbox */
const cproAccountOf = (sandbox) =>
	Buffer.from(
		`${sandbox.credentials.technicalLogin}:${sandbox.credentials.technicalPassword}`,
		'utf8',
	).toString('base64');

/** @param {number} n */
const thousands = (n) => n.toLocaleString('en-US');

/**
 * @param {{ latencyMs: number, invoices: number, deposits: number, statuses: Array<{ latencyMs: number, count: number }> }} settings
 * @param {World} world
 * @returns {Job[]}
 */
export function throughputJobs(settings, world) {
	const { sandbox } = world;
	const api = sandbox.apiBaseUrl;
	const cproAccount = cproAccountOf(sandbox);
	/** @param {N8nVariant} variant @param {string} id */
	const credentialFor = (variant, id) =>
		variant === 'b' ? oauthCredential(id, sandbox) : sandboxCredential(sandbox, id, id);
	/** @param {N8nVariant} variant */
	const concurrencyOf = (variant) => (variant === 'a1' ? 1 : undefined);
	/** @param {any[]} items @param {(json: any) => unknown} has */
	const countWhere = (items, has) => items.filter((item) => has(item.json)).length;

	const pages = Math.ceil(settings.invoices / PAGE_SIZE);
	/** @type {Job} */
	const search = {
		key: 'search',
		title: `Search ${thousands(settings.invoices)} invoices, Return All`,
		latencyMs: settings.latencyMs,
		items: settings.invoices,
		minRequests: pages + 1,
		variants: ['c', 'a', 'b'],
		floorOf: { a: 'c', b: 'c' },
		note: 'search: one input item, so concurrency does not apply (no (a1)); pages are read one after the other, so the floor is (c)',
		body: () => ({}),
		workflow: (variant, id) => ({
			credential: credentialFor(variant, id),
			workflow: webhookWorkflow(id, [
				variant === 'b'
					? httpNode(
							id,
							`${api}${SEARCH_PATH}`,
							cproAccount,
							JSON.stringify({
								rechercheFactureParFournisseur: {
									pageResultatDemandee: 1,
									nbResultatsParPage: PAGE_SIZE,
								},
							}),
							{ pagination: { pagination: searchPagination() } },
						)
					: chorusNode(id, {
							resource: 'invoice',
							operation: 'search',
							returnAll: true,
							filters: {},
							sort: {},
						}),
			]),
		}),
		count: (variant, items) =>
			variant === 'b'
				? items.reduce((sum, item) => sum + (item.json.listeFactures ?? []).length, 0)
				: items.length,
		floor: async (post) => {
			let got = 0;
			for (let page = 1; ; page++) {
				const answer = await post(SEARCH_PATH, {
					rechercheFactureParFournisseur: {
						pageResultatDemandee: page,
						nbResultatsParPage: PAGE_SIZE,
					},
				});
				got += (answer.listeFactures ?? []).length;
				const paging = answer.parametresRetour ?? {};
				if (!paging.pages || paging.pageCourante >= paging.pages) return got;
			}
		},
	};

	const files = world.depositFiles.slice(0, settings.deposits);
	/** @type {Job} */
	const deposit = {
		key: 'deposit',
		title: `Deposit ${thousands(files.length)} files`,
		latencyMs: settings.latencyMs,
		items: files.length,
		minRequests: files.length + 1,
		variants: ['d', 'a', 'c', 'a1', 'b'],
		floorOf: { a: 'd', a1: 'c', b: 'd' },
		body: () => ({}),
		workflow: (variant, id) => ({
			credential: credentialFor(variant, id),
			workflow: webhookWorkflow(id, [
				readFiles(path.join(world.depositDir, '*.xml')),
				...(variant === 'b'
					? [
							toBase64(),
							httpNode(
								id,
								`${api}${DEPOSIT_PATH}`,
								cproAccount,
								`={{ JSON.stringify({ fichierFlux: $json.fichierFlux, nomFichier: $json.fileName, syntaxeFlux: "${UBL_SYNTAX}", avecSignature: false }) }}`,
							),
						]
					: [
							chorusNode(
								id,
								{
									resource: 'invoice',
									operation: 'deposit',
									binaryPropertyName: 'data',
									syntax: UBL_SYNTAX,
									waitForProcessing: false,
									options: {},
								},
								concurrencyOf(variant),
							),
						]),
			]),
		}),
		count: (_, items) => countWhere(items, (json) => json.numeroFluxDepot),
		floor: (post, width) =>
			pool(files.length, width, async (i) => {
				const data = await readFile(path.join(world.depositDir, files[i]));
				const answer = await post(DEPOSIT_PATH, {
					fichierFlux: data.toString('base64'),
					nomFichier: files[i],
					syntaxeFlux: UBL_SYNTAX,
					avecSignature: false,
				});
				return Boolean(answer.numeroFluxDepot);
			}),
	};

	/** @type {Job[]} */
	const statuses = settings.statuses.map(({ latencyMs, count }, index) => ({
		key: `status-${latencyMs}`,
		title: `Status of ${thousands(count)} invoices (Get)`,
		latencyMs,
		items: count,
		minRequests: count + 1,
		variants: index === 0 ? ['d', 'a', 'af', 'c', 'a1', 'b'] : ['d', 'a', 'b'],
		floorOf: { a: 'd', af: 'd', a1: 'c', b: 'd' },
		body: () => ({ first: world.statusFirstId(), count }),
		workflow: (variant, id) => ({
			credential: credentialFor(variant, id),
			workflow: webhookWorkflow(id, [
				invoiceIdsFromBody(),
				variant === 'b'
					? httpNode(
							id,
							`${api}${STATUS_PATH}`,
							cproAccount,
							'={{ JSON.stringify({ identifiantFactureCPP: Number($json.invoiceId), codeLangue: "FR" }) }}',
						)
					: chorusNode(
							id,
							{
								resource: 'invoice',
								operation: 'get',
								// (af): the same invoice every time, no expression for n8n to evaluate per item.
								invoiceId:
									variant === 'af' ? String(world.statusFirstId()) : '={{ $json.invoiceId }}',
							},
							concurrencyOf(variant),
						),
			]),
		}),
		count: (_, items) =>
			countWhere(items, (json) => json.statutFacture ?? json.facture?.statutFacture),
		floor: (post, width) => {
			const first = world.statusFirstId();
			return pool(count, width, async (i) => {
				const answer = await post(STATUS_PATH, {
					identifiantFactureCPP: first + i,
					codeLangue: 'FR',
				});
				return Boolean(answer.facture?.statutFacture);
			});
		},
	}));
	return [search, deposit, ...statuses];
}

/** The HTTP Request node's own pagination, as the Chorus Pro paging block needs it. */
function searchPagination() {
	return {
		paginationMode: 'updateAParameterInEachRequest',
		parameters: {
			parameters: [
				{
					type: 'body',
					name: 'rechercheFactureParFournisseur',
					value: `={{ { "pageResultatDemandee": $pageCount + 1, "nbResultatsParPage": ${PAGE_SIZE} } }}`,
				},
			],
		},
		paginationCompleteWhen: 'other',
		completeExpression:
			'={{ !$response.body.parametresRetour || $response.body.parametresRetour.pageCourante >= $response.body.parametresRetour.pages }}',
	};
}

/**
 * The memory job: one large Factur-X PDF read by n8n, then deposited by the node, then a file twice
 * as large deposited: each case's peak over an empty workflow's says whose memory is whose, and what
 * the larger file adds says what grows with the file.
 * @param {World} world
 * @returns {MemoryCase[]}
 */
export function memoryCases(world) {
	const deposit = (/** @type {string} */ file) => (/** @type {string} */ id) =>
		manualWorkflow(id, [
			readFiles(file, 'Read file'),
			chorusNode(id, {
				resource: 'invoice',
				operation: 'deposit',
				binaryPropertyName: 'data',
				syntax: 'auto',
				waitForProcessing: false,
				options: {},
			}),
		]);
	/** @param {any[]} items */
	const deposited = (items) => items[0]?.json?.numeroFluxDepot !== undefined;
	const [file, twice] = world.bigFiles;
	return [
		{
			key: 'empty',
			label: 'empty workflow (baseline)',
			size: 0,
			workflow: (id) => manualWorkflow(id, []),
			check: () => true,
		},
		{
			key: 'read',
			label: 'n8n reads the file (Read/Write Files from Disk)',
			size: 1,
			readNode: MEASURED,
			workflow: (id) => manualWorkflow(id, [readFiles(file, MEASURED)]),
			check: (items) => items.length === 1,
		},
		{
			key: 'a',
			label: '(a) n8n reads it, this node deposits it',
			size: 1,
			credential: true,
			readNode: 'Read file',
			depositNode: MEASURED,
			workflow: deposit(file),
			check: deposited,
		},
		{
			key: 'a-small',
			label: '(a) the same with a small file (running the node at all)',
			size: 0,
			credential: true,
			readNode: 'Read file',
			depositNode: MEASURED,
			workflow: deposit(world.smallFile),
			check: deposited,
		},
		{
			key: 'a-2x',
			label: '(a) the same with a file twice as large',
			size: 2,
			credential: true,
			readNode: 'Read file',
			depositNode: MEASURED,
			workflow: deposit(twice),
			check: deposited,
		},
	];
}

/**
 * The data of every job: the supplier's invoices (the only ones of a fresh sandbox, so Return All
 * reads exactly these; the status jobs read them too, or a batch of their own made after the search
 * job), the files to deposit, the large PDFs.
 * @param {import('./settings.mjs').Settings} settings @param {Sandbox} sandbox
 * @param {import('./measure.mjs').Instance} instance @param {number} concurrency
 */
export async function prepareData(settings, sandbox, instance, concurrency) {
	const searchBatch = await admin(sandbox, 'POST', '/invoices/bulk', {
		count: settings.invoices,
		statut: 'MISE_A_DISPOSITION',
		prefix: 'BENCH-S-',
	});
	let statusFirstId = searchBatch.firstId;
	const depositDir = path.join(instance.filesDir, 'deposits');
	mkdirSync(depositDir, { recursive: true });
	const depositFiles = Array.from(
		{ length: settings.deposits },
		(_, i) => `BENCH-D-${String(i + 1).padStart(6, '0')}.xml`,
	);
	for (const name of depositFiles)
		writeFileSync(path.join(depositDir, name), makeUblXml({ number: name.replace(/\.xml$/, '') }));
	const fileBytes = Math.round(settings.fileMb * MB);
	/** @type {[string, string]} */
	const bigFiles = [
		path.join(instance.filesDir, 'big', 'facture-x-big.pdf'),
		path.join(instance.filesDir, 'big2', 'facture-x-big.pdf'),
	];
	const smallFile = path.join(instance.filesDir, 'small', 'facture-x-small.pdf');
	mkdirSync(path.dirname(smallFile), { recursive: true });
	writeFileSync(smallFile, makeFacturXPdf({ number: 'BENCH-BIG-1' }));
	for (const [i, file] of bigFiles.entries()) {
		mkdirSync(path.dirname(file), { recursive: true });
		writeFileSync(file, padPdf(makeFacturXPdf({ number: 'BENCH-BIG-1' }), fileBytes * (i + 1)));
	}

	const needed = Math.max(...settings.statuses.map((s) => s.count));
	/** @type {World} */
	const world = {
		sandbox,
		depositDir,
		depositFiles,
		bigFiles,
		smallFile,
		statusFirstId: () => statusFirstId,
		concurrency,
	};
	return {
		world,
		fileBytes,
		/** Before the first status job: a batch of their own when the search batch is too small. */
		async statusBatch() {
			if (needed <= settings.invoices || statusFirstId !== searchBatch.firstId) return;
			const batch = await admin(sandbox, 'POST', '/invoices/bulk', {
				count: needed,
				statut: 'MISE_A_DISPOSITION',
				prefix: 'BENCH-T-',
			});
			statusFirstId = batch.firstId;
		},
	};
}
