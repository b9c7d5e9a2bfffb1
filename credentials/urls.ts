/**
 * Where the credential's requests go: the PISTE token endpoint and the API base URL of the chosen
 * environment, and why a URL typed in by the user (environment Custom) cannot be used.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/** PISTE hosts per environment (the qualification platform is PISTE's "sandbox"). */
const CHORUS_PRO_ENVIRONMENTS: Record<string, { tokenUrl: string; apiBaseUrl: string }> = {
	qualification: {
		tokenUrl: 'https://sandbox-oauth.piste.gouv.fr/api/oauth/token',
		apiBaseUrl: 'https://sandbox-api.piste.gouv.fr',
	},
	production: {
		tokenUrl: 'https://oauth.piste.gouv.fr/api/oauth/token',
		apiBaseUrl: 'https://api.piste.gouv.fr',
	},
};

/** A text field of the credential, trimmed; empty when it is not text. */
export function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

/** Token and API URLs of the environment chosen in the credential. */
export function chorusProUrls(credentials: ICredentialDataDecryptedObject) {
	const environment = text(credentials.environment) || 'qualification';
	if (environment === 'custom') {
		return {
			tokenUrl: text(credentials.tokenUrl),
			apiBaseUrl: text(credentials.apiBaseUrl).replace(/\/+$/, ''),
		};
	}
	return CHORUS_PRO_ENVIRONMENTS[environment] ?? CHORUS_PRO_ENVIRONMENTS.qualification;
}

/** This machine: 127.0.0.0/8, localhost, [::1], as the URL parser writes them (lower case, IPv4 in dotted decimal). */
function isLoopback(hostname: string): boolean {
	return (
		hostname === 'localhost' ||
		hostname === '[::1]' ||
		/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
	);
}

/** Why a URL of the credential cannot be used, naming its field; undefined when it can. */
function urlProblem(field: string, value: string, carries: string): string | undefined {
	// The URL itself is never quoted: a user may have typed a secret into it.
	if (!value) return `${field} is empty: fill it in the Chorus Pro credential (environment Custom)`;
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return `${field} is not a valid URL: write it in full, starting with https://`;
	}
	if (url.protocol === 'https:' && url.hostname) return undefined;
	if (url.protocol === 'http:' && isLoopback(url.hostname)) return undefined;
	if (url.protocol === 'http:') {
		return `${field} must start with https://: over plain http:// the ${carries} would travel unencrypted. http:// is accepted only for this machine (127.0.0.1, localhost, [::1]).`;
	}
	return `${field} must start with https://`;
}

/**
 * Why the token URL or the API base URL cannot be used (empty, malformed, or plain http:// to
 * another machine), or undefined. Checked before any request: by the credential before asking
 * for a token, and by the node before each call.
 */
export function chorusProUrlProblem(
	credentials: ICredentialDataDecryptedObject,
): string | undefined {
	const { tokenUrl, apiBaseUrl } = chorusProUrls(credentials);
	return (
		urlProblem('Token URL', tokenUrl, 'client secret and the access token') ??
		urlProblem(
			'API Base URL',
			apiBaseUrl,
			'access token and the technical account (login and password)',
		)
	);
}
