// @ts-check
/**
 * The Chorus Pro answer envelope (`{codeRetour, libelle, ...}`, docs/chorus-pro-api.md §5.2) and the pagination
 * blocks shared by every service module. Services build their answers with these helpers only, so every answer
 * has the same shape and the same error codes.
 */

/** @typedef {{ status?: number, body?: any, headers?: Record<string, string>, raw?: Buffer|string }} Reply */

/** Success libelle of transverses / structures / utilisateurs / searches. */
export const SUCCESS_LABEL = 'TRA_MSG_00.000';
/** Success libelle of factures deposer / soumettre / historique / traiter / recycler / completer. */
export const INVOICE_SUCCESS_LABEL = 'GCU_MSG_01_000';

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
 * @param {string} label @param {Record<string, any>} [fields]
 */
export function ok(label, fields = {}) {
	return { codeRetour: 0, libelle: label, ...fields };
}

/**
 * Error reply with an HTTP status and the Chorus envelope.
 * @param {number} status @param {number} code @param {string} label @param {Record<string, any>} [extra]
 * @returns {Reply}
 */
export function fail(status, code, label, extra = {}) {
	return { status, body: { codeRetour: code, libelle: label, ...extra } };
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

/** 500 for an unexpected sandbox error. @param {unknown} err @returns {Reply} */
export function internalError(err) {
	return fail(
		500,
		CODES.INTERNAL,
		`Erreur interne du serveur (sandbox) : ${err instanceof Error ? err.message : String(err)}`,
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

// ---------------------------------------------------------------------------------------------------------------
// Pagination

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
	checkPaging(page, size, b.triSens);
	let items = sortItems(list, b.triColonne, b.triSens, options.sort);
	if (Number.isInteger(b.nbResultatsMaximum) && b.nbResultatsMaximum > 0)
		items = items.slice(0, b.nbResultatsMaximum);
	const total = items.length;
	const pages = Math.ceil(total / size);
	return {
		items: items.slice((page - 1) * size, page * size),
		parametresRetour: { pageCourante: page, pages, nbResultatsParPage: size, total },
	};
}

/** Throws a ReplyError for a page, size or direction the API refuses. @param {any} page @param {any} size @param {any} direction */
function checkPaging(page, size, direction) {
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
	if (direction != null && direction !== 'Ascendant' && direction !== 'Descendant') {
		throw new ReplyError(
			invalidValue('triSens', direction, 'Valeurs possibles : Ascendant, Descendant.'),
		);
	}
}

/**
 * The list sorted by `column` (a `triColonne` value), or the list itself without a column or sort keys.
 * @template T
 * @param {T[]} list @param {any} column @param {any} direction
 * @param {Record<string, (item: T) => any>} [sortKeys]
 */
function sortItems(list, column, direction, sortKeys) {
	if (column == null || !sortKeys) return list;
	const key = sortKeys[column];
	if (!key)
		throw new ReplyError(
			invalidValue(
				'triColonne',
				column,
				`Valeurs possibles : ${Object.keys(sortKeys).join(', ')}.`,
			),
		);
	const sign = direction === 'Ascendant' ? 1 : -1;
	return [...list].sort((x, y) => sign * compare(key(x), key(y)));
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

/**
 * Lowers every `nbResultatsParPage` of the request's paging blocks (top level or one block down) to
 * `cap`, as a server that serves smaller pages than asked would.
 * @param {any} body @param {number} cap
 */
export function capPageSizes(body, cap) {
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
