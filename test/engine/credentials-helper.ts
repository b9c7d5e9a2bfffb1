import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeProperties,
	IRequestOptionsSimplified,
} from 'n8n-workflow';
import { ICredentialsHelper } from 'n8n-workflow';

export const CREDENTIAL_TEST_NODE_TYPE = 'n8n-nodes-base.noOp';

/**
 * The n8n-core release whose calls this helper answers; test/engine-mirror.test.ts fails when the
 * installed n8n-core is another one or calls preAuthentication differently.
 */
export const MIRRORED_N8N_CORE = '2.41.1';

/**
 * The credential store of the n8n server, reduced to what the engine asks of it: property
 * defaults, the credential's `authenticate`, and `preAuthentication` with its saving.
 *
 * `preAuthentication` mirrors `CredentialsHelper.preAuthentication` of the n8n server
 * (packages/cli/src/credentials-helper.ts), as n8n-core 2.41 calls it from
 * `httpRequestWithAuthentication`
 * (dist/execution-engine/node-execution-context/utils/request-helpers/authentication.js):
 * - n8n-core passes the credential it got from `getCredentials`, or the one a node handed it in
 *   `additionalCredentialOptions.credentialsDecrypted` (its `data`), with `credentialsExpired`
 *   false before the request, and true after a response whose status is 401 (or
 *   `preAuthenticationRetryStatusCode`); then it sends once more, unless the body is a stream;
 * - the server runs the credential's `preAuthentication` only when the first hidden `expirable`
 *   property is exactly `''`, or `credentialsExpired`, or on a credential test (the temporary
 *   `n8n-nodes-base.noOp` node whose `temp` parameter is `''`);
 * - its output must hold the expirable property, else nothing is saved; the output's fields are
 *   saved into the stored credential, and merged into the credential object it was given, which
 *   it returns.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	private readonly stored = new Map<
		string,
		{ type: string; data: ICredentialDataDecryptedObject }
	>();

	/** How many times preAuthentication ran (each run is one token request). */
	preAuthentications = 0;

	/** The `credentialsExpired` flag of every call n8n-core made to preAuthentication. */
	readonly preAuthenticationCalls: boolean[] = [];

	constructor(private readonly types: Record<string, ICredentialType>) {
		super();
	}

	set(id: string, type: string, data: ICredentialDataDecryptedObject) {
		this.stored.set(id, { type, data: { ...data } });
	}

	get(id: string): ICredentialDataDecryptedObject | undefined {
		return this.stored.get(id)?.data;
	}

	private type(name: string): ICredentialType {
		const type = this.types[name];
		if (!type) throw new Error(`Unknown credential type ${name}`);
		return type;
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.type(type).properties;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('Not used by these tests');
	}

	async getDecrypted(
		_additionalData: unknown,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const entry = nodeCredentials.id ? this.stored.get(nodeCredentials.id) : undefined;
		if (!entry || entry.type !== type)
			throw new Error(`No credential ${nodeCredentials.id} of type ${type}`);
		const defaults: ICredentialDataDecryptedObject = {};
		for (const property of this.type(type).properties)
			defaults[property.name] = property.default as never;
		return { ...defaults, ...entry.data };
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.type(typeName);
		if (typeof authenticate !== 'function') throw new Error('Only the method form is used here');
		return await authenticate(credentials, requestOptions as IHttpRequestOptions);
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		this.preAuthenticationCalls.push(credentialsExpired);
		const type = this.type(typeName);
		const expirable = type.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		const isCredentialTest =
			node.parameters?.temp === '' && node.type === CREDENTIAL_TEST_NODE_TYPE;
		if (credentials[expirable.name] !== '' && !credentialsExpired && !isCredentialTest)
			return undefined;

		const output = await this.runPreAuthentication(helpers, credentials, typeName);
		if (output?.[expirable.name] === undefined) return undefined;
		const id = node.credentials?.[typeName]?.id;
		if (!id) return undefined;
		const entry = this.stored.get(id);
		if (entry) entry.data = { ...entry.data, ...output };
		return Object.assign(credentials, output);
	}

	/** The credential's own preAuthentication, counted (each run is one token request). */
	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.type(typeName);
		if (typeof type.preAuthentication !== 'function') return undefined;
		this.preAuthentications++;
		return (await type.preAuthentication.call(
			helpers,
			credentials,
		)) as ICredentialDataDecryptedObject;
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		if (nodeCredentials.id) this.set(nodeCredentials.id, type, data);
	}

	async updateCredentialsOauthTokenData(): Promise<void> {}
}
