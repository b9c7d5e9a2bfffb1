/**
 * What a failed call means for the user, as data: a message and a hint for each kind of failure.
 * `{name}` placeholders are filled by errors.ts (`fill`).
 */

export interface Wording {
	message: string;
	hint: string;
}

/** Said of a write whose answer did not prove it was refused. */
export const MAYBE_SENT =
	'The request may have reached Chorus Pro: search for the invoice or flux before sending it again.';

export const NETWORK_WORDS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset',
	ECONNABORTED: 'no answer in time',
	ETIMEDOUT: 'no answer in time',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'host name lookup failed',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	ENETDOWN: 'network down',
	EPIPE: 'connection cut',
};

/** Chorus Pro's API groups as the PISTE portal names them. */
export const GROUP_NAMES: Record<string, string> = {
	factures: 'Factures',
	structures: 'Structures',
	transverses: 'Transverses',
	utilisateurs: 'Utilisateurs',
	engagementsJuridiques: 'Engagements Juridiques',
};

// Messages are in words: n8n replaces any message that contains a raw network code with its own.
const NETWORK_HINT =
	'Network error {code}. Check the environment or the API base URL of the credential, and the network; the platform may also be down for maintenance. Try again later.';

/** Failures without an HTTP status. */
export const NO_STATUS_WORDING = {
	neverSent: { message: 'Chorus Pro could not be reached: {words}', hint: NETWORK_HINT },
	timeout: { message: 'Chorus Pro did not answer in time', hint: NETWORK_HINT },
	cut: {
		message: 'The connection to Chorus Pro was cut before its answer ({words})',
		hint: NETWORK_HINT,
	},
	beforeExchange: {
		message: 'The request to Chorus Pro failed',
		hint: 'Check the Chorus Pro credential (environment, PISTE client ID and secret).',
	},
	malformed: {
		message: 'Chorus Pro sent an answer that is not the expected JSON',
		hint: 'The gateway may be failing; try again later.',
	},
	unproven: {
		message: 'Chorus Pro answered success without {field}',
		hint: 'The answer of {path} should carry {field}; without it nothing proves the request was taken. {check}',
	},
} satisfies Record<string, Wording>;

/** HTTP refusals, by status; `{reason}` is the gateway's error_description, `{wait}` its Retry-After. */
export const STATUS_WORDING = {
	accountRefused: {
		message: 'Chorus Pro refused the technical account{reason}',
		hint: 'Check the technical account login and password in the credential (the cpro-account header). The password must be renewed every 424 days on Chorus Pro; a qualification account does not work in production and vice versa.',
	},
	tokenRefused: {
		message: 'PISTE refused the access token{reason}',
		hint: 'A new token was requested and refused as well: check that the PISTE application of the credential is the one attached to Chorus Pro, in the same environment.',
	},
	403: {
		message: 'The PISTE application is not allowed to call the Chorus Pro "{group}" API',
		hint: 'In PISTE, accept the terms of use of the Chorus Pro APIs and attach the "{group}" API to the application of this credential (sandbox and production are attached separately). An empty 403 also answers paths that do not exist.',
	},
	404: {
		message: 'Chorus Pro answered 404 Not Found',
		hint: 'Check the API base URL of the credential: it must not contain /cpro.',
	},
	413: {
		message: 'The file is too large for Chorus Pro (HTTP 413)',
		hint: 'Chorus Pro accepts at most 10 MB for a PDF or an attachment and 120 MB for a download. Split the batch or compress the file.',
	},
	415: {
		message: 'Chorus Pro refused the request format (HTTP 415)',
		hint: 'The API expects JSON (Content-Type: application/json;charset=utf-8).',
	},
	429: {
		message: 'Chorus Pro asks to slow down (HTTP 429)',
		hint: 'Too many calls in a short time: space out the executions or lower the batch size.{wait}',
	},
	unavailable: {
		message: 'Chorus Pro is unavailable (HTTP {status})',
		hint: 'The platform or the PISTE gateway failed; try again later.{wait}',
	},
	other: {
		message: 'Chorus Pro answered HTTP {status}',
		hint: 'The request was refused; check the values sent.',
	},
} satisfies Record<string, Wording>;

/** A non-zero codeRetour: `{libelle}` is Chorus Pro's own message, kept as data. */
export const BUSINESS_WORDING: Wording = {
	message: 'Chorus Pro refused the request: {libelle}',
	hint: 'Chorus Pro answered codeRetour {codeRetour}. Check the values sent against the message above; the same request will fail again until they change.',
};

/** Hints for the Chorus Pro message codes users meet most; the code starts `libelle`. */
export const MESSAGE_HINTS: Array<[code: string, hint: string]> = [
	['TRA_MSG_00.015', 'The search matched nothing.'],
	[
		'POQ_MSG_01.003',
		'Chorus Pro does not know this flux number: check it, and that it was deposited with the same technical account and environment.',
	],
	[
		'GDP_MSG_11.008',
		'Chorus Pro does not know this invoice id: use the Chorus Pro invoice id (identifiantFactureCPP / idFacture), not the invoice number.',
	],
	[
		'GDP_MSG_11.005',
		'The technical account has no right on this invoice: attach it to the supplier structure in Chorus Pro.',
	],
	['GDP_MSG_11.033', 'Only a suspended invoice (SUSPENDUE) can be completed.'],
	[
		'GDP_MSG_11.001',
		'The invoice is not in a status that allows this action: check its status history.',
	],
];
