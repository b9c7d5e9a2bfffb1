import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';
import { OperationalError } from 'n8n-workflow';

import { SERVICES } from '../nodes/ChorusPro/transport/services';
import { requestToken } from './token';
import { chorusProUrlProblem, chorusProUrls, text } from './urls';

// The node's transport (and its tests) import these from the credential.
export { chorusProUrlProblem } from './urls';
export { tokenNeedsRenewal } from './token';

/** The credential's type name: nodes name it in their `credentials` and read it with it. */
export const CREDENTIAL_NAME = 'chorusProApi';

/** `cpro-account` header: base64 of the UTF-8 bytes of `login:password`. */
function cproAccountHeader(credentials: ICredentialDataDecryptedObject): string {
	const pair = `${text(credentials.technicalLogin)}:${String(credentials.technicalPassword ?? '')}`;
	return Buffer.from(pair, 'utf8').toString('base64');
}

export class ChorusProApi implements ICredentialType {
	name = CREDENTIAL_NAME;

	displayName = 'Chorus Pro API';

	documentationUrl = 'https://github.com/n8n-nodes-chorus-pro/n8n-nodes-chorus-pro#credentials';

	icon: Icon = { light: 'file:../icons/chorusPro.svg', dark: 'file:../icons/chorusPro.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			// When PISTE stops accepting the access token; saved with it by preAuthentication.
			displayName: 'Access Token Expires At',
			name: 'expiresAt',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{
					name: 'Qualification (Sandbox)',
					value: 'qualification',
					description: 'PISTE sandbox and the Chorus Pro qualification platform (test data)',
				},
				{
					name: 'Production',
					value: 'production',
					description: 'PISTE production and the real Chorus Pro',
				},
				{
					name: 'Custom',
					value: 'custom',
					description: 'Your own token and API URLs, e.g. a proxy or a local emulator',
				},
			],
			default: 'qualification',
		},
		{
			displayName: 'Token URL',
			name: 'tokenUrl',
			type: 'string',
			default: '',
			placeholder: 'https://sandbox-oauth.piste.gouv.fr/api/oauth/token',
			required: true,
			displayOptions: { show: { environment: ['custom'] } },
			description: 'OAuth2 token endpoint of PISTE (client credentials)',
		},
		{
			displayName: 'API Base URL',
			name: 'apiBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://sandbox-api.piste.gouv.fr',
			required: true,
			displayOptions: { show: { environment: ['custom'] } },
			description: 'Base URL in front of the /cpro/... paths',
		},
		{
			displayName: 'PISTE Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'OAuth client ID of your PISTE application (PISTE > Applications > your app)',
		},
		{
			displayName: 'PISTE Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Technical Account Login',
			name: 'technicalLogin',
			type: 'string',
			default: '',
			placeholder: 'TECH_1_12345678900012@cpro.fr',
			required: true,
			description:
				'Login of the Chorus Pro technical account created in the connections area (Raccordements) of Chorus Pro',
		},
		{
			displayName: 'Technical Account Password',
			name: 'technicalPassword',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Must be renewed every 424 days on Chorus Pro by the main manager of the structure',
		},
		{
			displayName: 'Technical Account Renewal Date',
			name: 'renewalDate',
			type: 'dateTime',
			default: '',
			description:
				'Optional: when the technical password expires (Chorus Pro requires a new one every 424 days). The node warns in its output from 30 days before.',
		},
	];

	/**
	 * n8n runs this when the first hidden `expirable` field (accessToken) is empty, after a 401
	 * that reaches its own refresh path, and for a credential test; it saves what this returns in
	 * the stored credential, so every execution and worker shares one token (no module state).
	 *
	 * Renewal before expiry: the expiry is saved next to the token. Before each call the node's
	 * transport (nodes/ChorusPro/transport/request.ts) reads the credential; when the token has
	 * less than TOKEN_RENEWAL_MARGIN_MS left, it hands n8n a copy of the credential whose
	 * accessToken is empty (IAdditionalCredentialOptions.credentialsDecrypted). n8n's rule "empty
	 * expirable field: run preAuthentication" then fetches a new token and saves it, and the call
	 * goes out with it: no call has to fail with 401 first.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const token = await requestToken(this, credentials);
		return { accessToken: token.accessToken, expiresAt: token.expiresAt };
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		// Last guard: the token and the technical account never leave for an unsafe URL.
		const problem = chorusProUrlProblem(credentials);
		if (problem) throw new OperationalError(problem);
		requestOptions.baseURL = chorusProUrls(credentials).apiBaseUrl;
		requestOptions.headers = {
			...requestOptions.headers,
			Authorization: `Bearer ${String(credentials.accessToken ?? '')}`,
			'cpro-account': cproAccountHeader(credentials),
		};
		return requestOptions;
	}

	// The health check needs both the PISTE token and the technical account, so it proves both layers.
	test: ICredentialTestRequest = {
		request: {
			method: SERVICES.healthCheck.method,
			url: SERVICES.healthCheck.path,
			headers: { Accept: 'application/json;charset=utf-8' },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'PISTE accepted the client ID and secret, but Chorus Pro refused the technical account (cpro-account): check the technical login and password, and that the password has not expired (424 days)',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'The PISTE application is not subscribed to the Chorus Pro "Transverses" API: in PISTE, accept the terms of use of the Chorus Pro APIs and attach Factures, Structures, Transverses and Utilisateurs to the application (sandbox and production are separate)',
				},
			},
		],
	};
}
