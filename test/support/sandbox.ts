import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

export const sandbox = chorusSandbox;

/** A Chorus Pro credential pointing at this test file's sandbox (supplier account by default). */
export function sandboxCredential(
	overrides: IDataObject = {},
	account: 'supplier' | 'recipient' = 'supplier',
): ICredentialDataDecryptedObject {
	const accountCredentials =
		account === 'supplier' ? sandbox.credentials : sandbox.recipientCredentials;
	return {
		environment: 'custom',
		tokenUrl: sandbox.tokenUrl,
		apiBaseUrl: sandbox.apiBaseUrl,
		...accountCredentials,
		...overrides,
	};
}

/** Calls an admin hook of the sandbox (`/__admin/...`). */
export async function admin<T = IDataObject>(
	path: string,
	body?: unknown,
	method = body === undefined ? 'GET' : 'POST',
): Promise<T> {
	const response = await fetch(`${sandbox.adminUrl}${path}`, {
		method,
		headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`Admin ${method} ${path} answered ${response.status}: ${text}`);
	return (text ? JSON.parse(text) : {}) as T;
}

export interface LoggedRequest {
	seq: number;
	method: string;
	path: string;
	headers: Record<string, string>;
	body: unknown;
	status: number | null;
	/** When it arrived and was answered (the sandbox's clock, ISO). */
	at: string;
	answeredAt?: string;
	/** Requests still unanswered when this one arrived. */
	inFlight: number;
	fault?: string;
}

/** The requests the sandbox received (admin calls excluded), oldest first. */
export async function loggedRequests(): Promise<LoggedRequest[]> {
	return (await admin<{ requests: LoggedRequest[] }>('/requests')).requests;
}

/** The last request the sandbox received on `path`. */
/** The requests the sandbox received for one path, oldest first. */
export async function requestsTo(path: string): Promise<LoggedRequest[]> {
	return (await loggedRequests()).filter((request) => request.path === path);
}

export async function lastRequest(path: string): Promise<LoggedRequest | undefined> {
	return [...(await loggedRequests())].reverse().find((request) => request.path === path);
}

export async function clearLog() {
	await admin('/requests', undefined, 'DELETE');
}

export async function resetSandbox() {
	await admin('/reset', {});
}

/** Makes the next `count` requests whose path starts with `path` fail as described. */
type Fault = IDataObject & { count: number; path?: string };

/** Adds faults the sandbox applies to the next matching requests (see its README). */
export async function injectFault(fault: Fault | Fault[]) {
	await admin('/faults', fault as IDataObject);
}

let fluxNumbers = 0;

/**
 * Deposits a UBL invoice straight on the sandbox, as another client would (not through the node),
 * and returns its flux number. With the sandbox's default `fluxPollsToFinal: 2`, the flux
 * shows a waiting state at its first report and its final state at the second.
 */
export async function depositFlux(): Promise<string> {
	const { credentials, tokenUrl, apiBaseUrl } = chorusSandbox;
	const tokenAnswer = await fetch(tokenUrl, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: credentials.clientId,
			client_secret: credentials.clientSecret,
			scope: 'openid',
		}).toString(),
	});
	const { access_token: token } = (await tokenAnswer.json()) as { access_token: string };
	const xml = chorusFixtures.makeUblXml({ number: `FLUX-${Date.now()}-${++fluxNumbers}` });
	const answer = await fetch(`${apiBaseUrl}/cpro/factures/v1/deposer/flux`, {
		method: 'POST',
		headers: {
			Authorization: `Bearer ${token}`,
			'cpro-account': Buffer.from(
				`${credentials.technicalLogin}:${credentials.technicalPassword}`,
			).toString('base64'),
			'Content-Type': 'application/json;charset=utf-8',
		},
		body: JSON.stringify({
			fichierFlux: Buffer.from(xml).toString('base64'),
			nomFichier: 'invoice.xml',
			syntaxeFlux: 'IN_DP_E1_UBL_INVOICE',
			avecSignature: false,
		}),
	});
	const { numeroFluxDepot } = (await answer.json()) as { numeroFluxDepot: string };
	expect(numeroFluxDepot).toMatch(/^CPP001/);
	return numeroFluxDepot;
}
