import type { INode, INodeProperties } from 'n8n-workflow';

import { ChorusPro } from '../nodes/ChorusPro/ChorusPro.node';
import { ChorusProTrigger } from '../nodes/ChorusProTrigger/ChorusProTrigger.node';
import { resources } from '../nodes/ChorusPro/actions/resources';
import dailyUnpaid from '../examples/daily-unpaid-invoices.json';
import depositFolder from '../examples/deposit-factur-x-from-folder.json';
import notifyChanges from '../examples/notify-invoice-status-changes.json';
import submitSheet from '../examples/submit-pdf-invoices-from-spreadsheet.json';

const examples = { dailyUnpaid, depositFolder, notifyChanges, submitSheet } as unknown as Record<
	string,
	{ nodes: INode[]; connections: Record<string, unknown> }
>;
const properties = new ChorusPro().description.properties;
const triggerProperties = new ChorusProTrigger().description.properties;

/** The parameter names a node shows for a resource and an operation. */
function namesFor(resource: string, operation: string): Set<string> {
	const shown = (property: INodeProperties) => {
		const show = property.displayOptions?.show ?? {};
		return (
			(!show.resource || show.resource.includes(resource)) &&
			(!show.operation || show.operation.includes(operation))
		);
	};
	return new Set(properties.filter(shown).map((property) => property.name));
}

describe.each(Object.entries(examples))('example workflow %s', (_name, workflow) => {
	it('connects every node but its trigger to a node before it', () => {
		const targets = new Set(
			Object.values(workflow.connections).flatMap((outputs) =>
				(outputs as { main: Array<Array<{ node: string }>> }).main
					.flat()
					.map((target) => target.node),
			),
		);
		const unreached = workflow.nodes.filter(
			(node) => !/trigger/i.test(node.type) && !targets.has(node.name),
		);
		expect(unreached.map((node) => node.name)).toEqual([]);
	});

	it('connects only nodes it contains', () => {
		const names = new Set(workflow.nodes.map((node) => node.name));
		for (const [from, outputs] of Object.entries(workflow.connections)) {
			expect(names).toContain(from);
			for (const output of (outputs as { main: Array<Array<{ node: string }>> }).main) {
				for (const target of output) expect(names).toContain(target.node);
			}
		}
	});

	it('uses existing Chorus Pro operations and parameters, with the credential', () => {
		const chorusNodes = workflow.nodes.filter(
			(node) => node.type === 'n8n-nodes-chorus-pro.chorusPro',
		);
		const triggers = workflow.nodes.filter(
			(node) => node.type === 'n8n-nodes-chorus-pro.chorusProTrigger',
		);
		expect(chorusNodes.length + triggers.length).toBeGreaterThan(0);
		const triggerParameters = new Set([
			'pollTimes',
			...triggerProperties.map((property) => property.name),
		]);
		for (const trigger of triggers) {
			for (const name of Object.keys(trigger.parameters)) expect(triggerParameters).toContain(name);
			expect(trigger.credentials?.chorusProApi).toBeDefined();
		}
		for (const node of chorusNodes) {
			const { resource, operation } = node.parameters as { resource: string; operation: string };
			expect(resources[resource]?.operations[operation]).toBeDefined();
			const known = namesFor(resource, operation);
			for (const name of Object.keys(node.parameters)) expect(known).toContain(name);
			expect(node.credentials?.chorusProApi).toBeDefined();
		}
	});
});
