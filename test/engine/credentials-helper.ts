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
 * The credential store of the n8n server, reduced to what the engine asks of it: property
 * defaults, `preAuthentication` when the expirable field is empty or a call got 401 (the result
 * is saved, as n8n saves it in its database), and the credential's `authenticate`.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	private readonly stored = new Map<
		string,
		{ type: string; data: ICredentialDataDecryptedObject }
	>();

	/** How many times preAuthentication ran (each run is one token request). */
	preAuthentications = 0;

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
		const type = this.type(typeName);
		const expirable = type.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (!expirable || !type.preAuthentication) return undefined;
		// As in n8n: a credential test (run on a temporary "noOp" node) always gets a fresh token.
		const isCredentialTest =
			node.type === CREDENTIAL_TEST_NODE_TYPE && node.parameters?.temp === '';
		if (credentials[expirable.name] !== '' && !credentialsExpired && !isCredentialTest)
			return undefined;

		const output = await this.runPreAuthentication(helpers, credentials, typeName);
		const id = node.credentials?.[typeName]?.id;
		if (output && id) {
			const entry = this.stored.get(id);
			if (entry) entry.data = { ...entry.data, ...output };
		}
		return output;
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.type(typeName);
		if (!type.preAuthentication) return undefined;
		this.preAuthentications++;
		const output = await type.preAuthentication.call(helpers, credentials);
		return { ...credentials, ...output } as ICredentialDataDecryptedObject;
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
