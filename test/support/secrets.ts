import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { loggedRequests, sandbox } from './sandbox';

/**
 * Fails when a secret of `credential` (client secret, technical password, the cpro-account header
 * made of them) or any token the sandbox handed out shows up in `value`: a run's result data, an
 * output or an error (errors are read with their message and stack).
 */
export async function expectNoSecretIn(
	value: unknown,
	credential: ICredentialDataDecryptedObject = sandbox.credentials,
) {
	const tokens = (await loggedRequests())
		.map((request) => /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1])
		.filter((token): token is string => !!token);
	const login = String(credential.technicalLogin);
	const password = String(credential.technicalPassword);
	const secrets = [
		String(credential.clientSecret),
		password,
		Buffer.from(`${login}:${password}`, 'utf8').toString('base64'),
		...tokens,
	];
	const text = JSON.stringify(value, (_key, field: unknown) =>
		field instanceof Error ? { ...field, message: field.message, stack: field.stack } : field,
	);
	for (const secret of secrets) expect(text).not.toContain(secret);
	expect(text).not.toMatch(/Bearer \S{20,}/);
}
