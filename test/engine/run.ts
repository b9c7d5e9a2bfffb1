import {
	ExecutionLifecycleHooks,
	LoadOptionsContext,
	PollContext,
	TriggersAndPollers,
	WorkflowExecute,
} from 'n8n-core';
import type {
	ExecutionError,
	IConnections,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeHelpers, Workflow } from 'n8n-workflow';

import { ChorusProApi } from '../../credentials/ChorusProApi.credentials';
import { ChorusPro } from '../../nodes/ChorusPro/ChorusPro.node';
import { ChorusProTrigger } from '../../nodes/ChorusProTrigger/ChorusProTrigger.node';
import { TestCredentialsHelper } from './credentials-helper';

export const CHORUS_PRO_TYPE = 'n8n-nodes-chorus-pro.chorusPro';
export const CHORUS_PRO_TRIGGER_TYPE = 'n8n-nodes-chorus-pro.chorusProTrigger';
const TRIGGER_TYPE = 'test.trigger';
const ITEMS_TYPE = 'test.items';

/** Starts a manual run, like n8n's Manual Trigger. */
class TestTrigger implements INodeType {
	description = {
		displayName: 'Test Trigger',
		name: TRIGGER_TYPE,
		group: ['trigger'],
		version: 1,
		description: 'Starts the test workflow',
		defaults: { name: 'Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	} as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [[{ json: {} }]];
	}
}

/** An input item given to the node under test; binary files are given as Buffers. */
export interface TestItem {
	json?: IDataObject;
	binary?: Record<string, { data: Buffer; fileName?: string; mimeType?: string }>;
}

/** Emits the items of its `items` parameter (JSON, binary as base64), stored through n8n's binary helpers. */
class TestItems implements INodeType {
	description = {
		displayName: 'Test Items',
		name: ITEMS_TYPE,
		group: ['transform'],
		version: 1,
		description: 'Emits fixed items',
		defaults: { name: 'Items' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	} as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = JSON.parse(this.getNodeParameter('items', 0) as string) as Array<{
			json?: IDataObject;
			binary?: Record<string, { base64: string; fileName?: string; mimeType?: string }>;
		}>;
		const output: INodeExecutionData[] = [];
		for (const item of items) {
			const entry: INodeExecutionData = { json: item.json ?? {}, pairedItem: { item: 0 } };
			for (const [property, file] of Object.entries(item.binary ?? {})) {
				entry.binary ??= {};
				entry.binary[property] = await this.helpers.prepareBinaryData(
					Buffer.from(file.base64, 'base64'),
					file.fileName,
					file.mimeType,
				);
			}
			output.push(entry);
		}
		return [output];
	}
}

export class NodeTypes implements INodeTypes {
	readonly types: Record<string, INodeType | IVersionedNodeType> = {
		[TRIGGER_TYPE]: new TestTrigger(),
		[ITEMS_TYPE]: new TestItems(),
		[CHORUS_PRO_TYPE]: new ChorusPro(),
		[CHORUS_PRO_TRIGGER_TYPE]: new ChorusProTrigger(),
	};

	getByName(name: string) {
		return this.types[name];
	}

	getByNameAndVersion(name: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.types[name], version);
	}

	getKnownTypes() {
		return {};
	}
}

export const CREDENTIAL_ID = 'chorus-test';

interface PollSession {
	workflow: Workflow;
	node: INode;
	context: PollContext;
}

/**
 * An activated trigger. Its static data is read anew at each poll (as after a restart), unless
 * `keepContext`: then, as n8n does for an activation (n8n-core's ActiveWorkflowTriggers
 * `activatePollTrigger` builds the poll functions once), every poll runs in the first poll's
 * workflow and context.
 */
export interface PollActivation {
	staticData: IDataObject;
	keepContext?: boolean;
	session?: PollSession;
}

/**
 * One n8n instance for a test file: its credential store (with the token cache) persists across
 * the workflows it runs, as n8n's database does.
 */
export class TestInstance {
	readonly credentials = new TestCredentialsHelper({ chorusProApi: new ChorusProApi() });

	private readonly nodeTypes = new NodeTypes();

	private executions = 0;

	/**
	 * The workflow's static data as n8n's database keeps it: saved at the end of every execution
	 * that is not manual, failed ones included (n8n's "workflowExecuteAfter" save hook).
	 */
	savedStaticData: IDataObject = {};

	constructor(credential: ICredentialDataDecryptedObject) {
		this.credentials.set(CREDENTIAL_ID, 'chorusProApi', credential);
	}

	/** Replaces the stored credential (e.g. a wrong password); the cached token goes with it. */
	setCredential(credential: ICredentialDataDecryptedObject) {
		this.credentials.set(CREDENTIAL_ID, 'chorusProApi', credential);
	}

	/**
	 * Runs Trigger → Items → Chorus Pro with the given parameters and returns what the Chorus Pro
	 * node output (its first output), or the error that stopped the run.
	 */
	async runChorusPro(
		parameters: INodeParameters,
		options: {
			items?: TestItem[];
			continueOnFail?: boolean;
			/** n8n's node setting "Retry On Fail" with its Max Tries (no wait between tries). */
			maxTries?: number;
			/** `manual` (the editor, the default) or a production mode, whose static data is saved. */
			mode?: WorkflowExecuteMode;
		} = {},
	): Promise<ChorusRun> {
		const items = (options.items ?? [{ json: {} }]).map((item) => ({
			json: item.json ?? {},
			binary: Object.fromEntries(
				Object.entries(item.binary ?? {}).map(([property, file]) => [
					property,
					{
						base64: file.data.toString('base64'),
						fileName: file.fileName,
						mimeType: file.mimeType,
					},
				]),
			),
		}));
		const nodes: INode[] = [
			node('Trigger', TRIGGER_TYPE, {}, [0, 0]),
			node('Items', ITEMS_TYPE, { items: JSON.stringify(items) }, [200, 0]),
			{
				...node('Chorus Pro', CHORUS_PRO_TYPE, parameters, [400, 0]),
				credentials: { chorusProApi: { id: CREDENTIAL_ID, name: 'Chorus Pro sandbox' } },
				onError: options.continueOnFail ? 'continueRegularOutput' : 'stopWorkflow',
				...(options.maxTries
					? { retryOnFail: true, maxTries: options.maxTries, waitBetweenTries: 0 }
					: {}),
			},
		];
		const connections: IConnections = {
			Trigger: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'Chorus Pro', type: 'main', index: 0 }]] },
		};
		const run = await this.run(nodes, connections, 'Trigger', options.mode);
		const taskData = run.data.resultData.runData['Chorus Pro']?.[0];
		return {
			run,
			items: taskData?.data?.main?.[0] ?? [],
			error: run.data.resultData.error,
		};
	}

	/**
	 * Calls a `loadOptions` or `listSearch` method as the editor does: on a node holding the
	 * parameters being edited, with those parameters as the current ones.
	 */
	async callMethod<T>(
		kind: 'loadOptions' | 'listSearch',
		method: string,
		parameters: INodeParameters,
		...args: unknown[]
	): Promise<T> {
		const context = this.editorContext(parameters);
		const methods = new ChorusPro().methods as unknown as Record<
			string,
			Record<string, (...methodArgs: unknown[]) => Promise<T>>
		>;
		return await methods[kind][method].call(context, ...args);
	}

	/** The context n8n gives a node's methods in the editor, on a Chorus Pro node with `parameters`. */
	editorContext(parameters: INodeParameters = {}): LoadOptionsContext {
		const chorusNode: INode = {
			...node('Chorus Pro', CHORUS_PRO_TYPE, parameters, [0, 0]),
			credentials: { chorusProApi: { id: CREDENTIAL_ID, name: 'Chorus Pro sandbox' } },
		};
		const workflow = new Workflow({
			nodes: [chorusNode],
			connections: {},
			active: false,
			nodeTypes: this.nodeTypes,
		});
		const hooks = new ExecutionLifecycleHooks('internal', 'load-options', {
			id: 'load-options',
			nodes: [chorusNode],
			connections: {},
		} as never);
		const additionalData = additionalDataFor(this.credentials, hooks, 'load-options');
		additionalData.currentNodeParameters = parameters;
		return new LoadOptionsContext(workflow, chorusNode, additionalData, 'parameters');
	}

	/**
	 * One poll of the Chorus Pro Trigger, run by the engine's poller. `activation` holds the
	 * workflow's static data between polls; like n8n, it is saved only after a poll that succeeded
	 * in an active workflow (never in manual mode).
	 */
	async poll(
		parameters: INodeParameters,
		activation: PollActivation,
		mode: 'trigger' | 'manual' = 'trigger',
	): Promise<{ items: INodeExecutionData[]; error?: Error }> {
		if (activation.session) return await this.pollIn(activation.session, activation);
		const triggerNode: INode = {
			...node('Chorus Pro Trigger', CHORUS_PRO_TRIGGER_TYPE, parameters, [0, 0]),
			credentials: { chorusProApi: { id: CREDENTIAL_ID, name: 'Chorus Pro sandbox' } },
		};
		const workflow = new Workflow({
			id: 'trigger-workflow',
			nodes: [triggerNode],
			connections: {},
			active: mode === 'trigger',
			nodeTypes: this.nodeTypes,
			staticData: JSON.parse(JSON.stringify(activation.staticData)) as IDataObject,
		});
		const hooks = new ExecutionLifecycleHooks(mode, 'poll', {
			id: 'trigger-workflow',
			nodes: [triggerNode],
			connections: {},
		} as never);
		const context = new PollContext(
			workflow,
			triggerNode,
			additionalDataFor(this.credentials, hooks, 'poll'),
			mode,
			mode === 'manual' ? 'manual' : 'activate',
		);
		if (activation.keepContext) activation.session = { workflow, node: triggerNode, context };
		return await this.pollIn({ workflow, node: triggerNode, context }, activation, mode);
	}

	private async pollIn(
		{ workflow, node: triggerNode, context }: PollSession,
		activation: PollActivation,
		mode: 'trigger' | 'manual' = 'trigger',
	): Promise<{ items: INodeExecutionData[]; error?: Error }> {
		try {
			const output = await new TriggersAndPollers().runPollFunction(workflow, triggerNode, context);
			if (mode === 'trigger')
				activation.staticData = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
			return { items: output?.[0] ?? [] };
		} catch (error) {
			return { items: [], error: error as Error };
		}
	}

	async run(
		nodes: INode[],
		connections: IConnections,
		startNodeName: string,
		mode: WorkflowExecuteMode = 'manual',
	): Promise<IRun> {
		const executionId = `test-${++this.executions}`;
		const workflow = new Workflow({
			id: 'test-workflow',
			name: 'Test workflow',
			nodes,
			connections,
			active: false,
			nodeTypes: this.nodeTypes,
			settings: { executionOrder: 'v1' },
			staticData: JSON.parse(JSON.stringify(this.savedStaticData)) as IDataObject,
		});
		const hooks = new ExecutionLifecycleHooks(mode, executionId, {
			id: 'test-workflow',
			name: 'Test workflow',
			nodes,
			connections,
			active: false,
			activeVersionId: null,
			isArchived: false,
			createdAt: new Date(),
			updatedAt: new Date(),
			settings: { executionOrder: 'v1' },
		} as never);
		hooks.addHandler('workflowExecuteAfter', (_run, newStaticData) => {
			if (mode !== 'manual' && newStaticData)
				this.savedStaticData = JSON.parse(JSON.stringify(newStaticData)) as IDataObject;
		});
		const additionalData = additionalDataFor(this.credentials, hooks, executionId);
		const startNode = workflow.getNode(startNodeName) ?? undefined;
		return await new WorkflowExecute(additionalData, mode).run({ workflow, startNode });
	}
}

export interface ChorusRun {
	run: IRun;
	/** Items of the Chorus Pro node's output. */
	items: INodeExecutionData[];
	error?: ExecutionError;
}

function node(
	name: string,
	type: string,
	parameters: INodeParameters,
	position: [number, number],
): INode {
	return { id: name, name, type, typeVersion: 1, position, parameters };
}

export function additionalDataFor(
	credentialsHelper: TestCredentialsHelper,
	hooks: ExecutionLifecycleHooks,
	executionId: string,
): IWorkflowExecuteAdditionalData {
	const base = 'http://localhost:5678';
	return {
		credentialsHelper,
		hooks,
		executionId,
		currentNodeExecutionIndex: 0,
		variables: {},
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: base,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		logAiEvent: () => {},
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not used by these tests');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: async () => {
			throw new Error('Task runners are not used by these tests');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}
