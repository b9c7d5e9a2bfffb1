import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { TestInstance } from './engine/run';
import { Clocks } from './support/clocks';
import {
	admin,
	clearLog,
	loggedRequests,
	resetSandbox,
	sandboxCredential,
} from './support/sandbox';

/**
 * The trigger and time: its memory stays bounded, Paris days follow the real Europe/Paris offset,
 * and no change is lost or emitted twice across daylight-saving changes or when the n8n host's
 * clock is off from Chorus Pro's.
 *
 * Two clocks are moved by hand: Chorus Pro's is the sandbox clock (it stamps status changes), the
 * n8n host's is the `Date` the node reads (jest's fake Date; timers stay real, so HTTP works).
 */

const SUPPLIER_ID = 26300989;
const SEARCH_PATH = '/cpro/factures/v1/rechercher/fournisseur';

const statusChanged = (extra: INodeParameters = {}): INodeParameters => ({
	event: 'invoiceStatusChanged',
	statuses: [],
	options: {},
	...extra,
});

type StaticData = IDataObject & {
	'node:Chorus Pro Trigger'?: { recent?: Record<string, string>; known?: IDataObject };
};

describe('Chorus Pro Trigger › time and memory', () => {
	let n8n: TestInstance;

	beforeEach(async () => {
		await resetSandbox();
		n8n = new TestInstance(sandboxCredential());
	});

	afterEach(() => {
		jest.useRealTimers();
	});

	async function newInvoices(count: number): Promise<number[]> {
		const { firstId } = await admin<{ firstId: number }>('/invoices/bulk', {
			count,
			statut: 'DEPOSEE',
			fournisseurId: SUPPLIER_ID,
			prefix: `TT${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}-`,
		});
		return Array.from({ length: count }, (_, index) => firstId + index);
	}

	async function searches(): Promise<number> {
		return (await loggedRequests()).filter((request) => request.path === SEARCH_PATH).length;
	}

	const pairs = (items: Array<{ json: IDataObject }>) =>
		items.map((item) => [item.json.invoiceId, item.json.status]);

	describe.each([
		['on time', 0],
		['15 minutes ahead of Chorus Pro', 15],
		['15 minutes behind Chorus Pro', -15],
	])('host clock %s', (_label, skew) => {
		it('the first poll emits nothing, not even the changes of the minutes before it', async () => {
			const clocks = new Clocks(skew);
			await clocks.start('2026-06-10T08:00:00Z');
			const ids = await newInvoices(3);
			await clocks.advance(2);
			await admin(`/invoices/${ids[0]}/status`, { statut: 'MISE_A_DISPOSITION' });
			await clocks.advance(5);
			await admin(`/invoices/${ids[1]}/status`, { statut: 'SUSPENDUE' });
			await clocks.advance(1);
			const activation = { staticData: {} };
			await clearLog();
			const first = await n8n.poll(statusChanged(), activation);
			expect(first.error).toBeUndefined();
			expect(first.items).toEqual([]);
			const activationSearches = await searches();

			await clocks.advance(1);
			await admin(`/invoices/${ids[2]}/status`, { statut: 'REJETEE' });
			const emitted = [];
			for (let poll = 0; poll < 3; poll++) {
				await clocks.advance(5);
				const { items, error } = await n8n.poll(statusChanged(), activation);
				expect(error).toBeUndefined();
				emitted.push(...pairs(items));
			}
			expect(emitted).toEqual([[ids[2], 'REJETEE']]);
			// The activation read (and recorded) the changes of the last hour: one search.
			expect(activationSearches).toBe(1);
		});

		it.each([
			// Paris clocks go forward at 01:00 UTC (02:00 CET → 03:00 CEST); Paris midnight is 23:00 UTC.
			['spring (last Sunday of March)', '2026-03-28T22:10:00Z', 20, '2026-03-28T23:00:00.000Z'],
			// Paris clocks go back at 01:00 UTC (03:00 CEST → 02:00 CET, 02:00–03:00 is lived twice);
			// Paris midnight is 22:00 UTC.
			['autumn (last Sunday of October)', '2026-10-24T21:10:00Z', 32, '2026-10-24T22:00:00.000Z'],
		])(
			'%s daylight-saving change: each change emitted once, at the poll after it',
			async (_season, start, polls, parisMidnight) => {
				// Hours pass: PISTE tokens (one hour) would expire on the way; that is tested elsewhere.
				await admin('/config', { tokenTtlSeconds: 86_400 });
				const clocks = new Clocks(skew);
				await clocks.start(start);
				const ids = await newInvoices(2 * polls);
				// Created long before the activation: not part of the story.
				await clocks.advance(30);
				const activation = { staticData: {} };
				expect((await n8n.poll(statusChanged(), activation)).items).toEqual([]);

				const emitted: Array<{ json: IDataObject }> = [];
				await clearLog();
				for (let poll = 0; poll < polls; poll++) {
					// One change just after the previous poll, one just before the next.
					await clocks.advance(1);
					await admin(`/invoices/${ids[2 * poll]}/status`, { statut: 'MISE_A_DISPOSITION' });
					await clocks.advance(8);
					await admin(`/invoices/${ids[2 * poll + 1]}/status`, { statut: 'SUSPENDUE' });
					await clocks.advance(1);
					const { items, error } = await n8n.poll(statusChanged(), activation);
					expect(error).toBeUndefined();
					expect(pairs(items)).toEqual([
						[ids[2 * poll], 'MISE_A_DISPOSITION'],
						[ids[2 * poll + 1], 'SUSPENDUE'],
					]);
					emitted.push(...items);
				}
				// One search per poll.
				expect(await searches()).toBe(polls);

				// Its memory of emitted changes holds the current Paris day, exactly.
				const state = (activation.staticData as StaticData)['node:Chorus Pro Trigger'];
				const remembered = Object.values(state?.recent ?? {}).sort();
				const sinceMidnight = emitted
					.map((item) => String(item.json.changedAt))
					.filter((changedAt) => changedAt >= parisMidnight)
					.sort();
				expect(sinceMidnight.length).toBeLessThan(emitted.length);
				expect(remembered).toEqual(sinceMidnight);
			},
		);
	});

	it('remembers at most 2,000 open invoices, forgetting those whose last change is the oldest; every change is still emitted', async () => {
		const clocks = new Clocks();
		await clocks.start('2026-06-10T08:00:00Z');
		const activation = { staticData: {} };
		await n8n.poll(statusChanged(), activation);

		await clocks.advance(1);
		const older = await newInvoices(100);
		await clocks.advance(1);
		const newer = await newInvoices(2000);
		await clocks.advance(1);
		await clearLog();
		const { items, error } = await n8n.poll(statusChanged(), activation);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2100);
		expect(new Set(items.map((item) => item.json.invoiceId)).size).toBe(2100);
		expect(await searches()).toBe(3);

		const known = (activation.staticData as StaticData)['node:Chorus Pro Trigger']?.known ?? {};
		expect(Object.keys(known)).toHaveLength(2000);
		expect(Object.keys(known).map(Number).sort()).toEqual([...newer].sort());

		// The next change of a forgotten invoice is still emitted, without its previous status.
		await clocks.advance(1);
		await admin(`/invoices/${older[0]}/status`, { statut: 'MISE_A_DISPOSITION' });
		await clocks.advance(1);
		await admin(`/invoices/${newer[0]}/status`, { statut: 'MISE_A_DISPOSITION' });
		await clocks.advance(1);
		await admin(`/invoices/${newer[1]}/status`, { statut: 'REJETEE' });
		await clocks.advance(1);
		const next = await n8n.poll(statusChanged(), activation);
		expect(
			next.items.map((item) => [item.json.invoiceId, item.json.status, item.json.previousStatus]),
		).toEqual([
			[older[0], 'MISE_A_DISPOSITION', null],
			[newer[0], 'MISE_A_DISPOSITION', 'DEPOSEE'],
			[newer[1], 'REJETEE', 'DEPOSEE'],
		]);
		const after = (activation.staticData as StaticData)['node:Chorus Pro Trigger']?.known ?? {};
		// A final invoice is forgotten; the one changed last is remembered.
		expect(Object.keys(after)).toHaveLength(2000);
		expect(after).not.toHaveProperty(String(newer[1]));
		expect(after).toHaveProperty(String(older[0]));
	});
});
