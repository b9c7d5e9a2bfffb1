import { ExecuteContext, ExecutionLifecycleHooks, RoutingNode } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	INode,
	INodeType,
} from 'n8n-workflow';
import { NodeConnectionTypes, Workflow } from 'n8n-workflow';

import { CREDENTIAL_TEST_NODE_TYPE } from './credentials-helper';
import { additionalDataFor, NodeTypes } from './run';
import type { TestInstance } from './run';

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

/**
 * What the "Test" button of the credential dialog does in n8n: the credential's test request is
 * run by the routing engine on a temporary node (so `preAuthentication` runs first and fetches a
 * fresh token), and a failure is turned into a message by the test's rules, else by the status
 * text, the network error code or the error message.
 */
export async function testCredential(
	instance: TestInstance,
	type: ICredentialType,
	data: ICredentialDataDecryptedObject,
): Promise<CredentialTestResult> {
	const testRequest = type.test as ICredentialTestRequest;
	const credentialsDecrypted = { id: 'credential-under-test', name: 'Test', type: type.name, data };
	instance.credentials.set(credentialsDecrypted.id, type.name, data);

	const nodeType: INodeType = {
		description: {
			displayName: 'Temp',
			name: CREDENTIAL_TEST_NODE_TYPE,
			group: ['transform'],
			version: 1,
			description: 'Credential test',
			defaults: { name: 'Temp-Node' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: type.name, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
					default: '',
				},
			],
		},
	};
	const nodeTypes = new NodeTypes();
	nodeTypes.types[CREDENTIAL_TEST_NODE_TYPE] = nodeType;
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: CREDENTIAL_TEST_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { temp: '' },
		credentials: { [type.name]: { id: credentialsDecrypted.id, name: credentialsDecrypted.name } },
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const hooks = new ExecutionLifecycleHooks('internal', 'credential-test', {
		id: 'credential-test',
		nodes: [node],
		connections: {},
	} as never);
	const context = new ExecuteContext(
		workflow,
		node,
		additionalDataFor(instance.credentials, hooks, 'credential-test'),
		'internal',
		{ resultData: { runData: {} } } as never,
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	try {
		await new RoutingNode(context, nodeType, credentialsDecrypted).runNode();
	} catch (caught) {
		const error = caught as Error & {
			cause?: { response?: { status: number; statusText?: string }; code?: string };
		};
		const response = error.cause?.response;
		if (response) {
			for (const rule of testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === response.status) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			return {
				status: 'Error',
				message: response.statusText || `Received HTTP status code: ${response.status}`,
			};
		}
		if (error.cause?.code) return { status: 'Error', message: error.cause.code };
		return { status: 'Error', message: error.message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}
