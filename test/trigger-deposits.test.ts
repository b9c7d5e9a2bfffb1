import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { TestInstance } from './engine/run';
import {
	admin,
	clearLog,
	depositFlux,
	loggedRequests,
	resetSandbox,
	sandboxCredential,
} from './support/sandbox';

/**
 * Deposit Processed: a flux number Chorus Pro does not know must not block the others, and editing
 * the watched list must neither lose nor repeat a deposit.
 */

const REPORT_PATH = '/cpro/transverses/v1/consulterCRDetaille';
// Well formed (CPP001 + interface 1117 + 15 digits), but never deposited.
const UNKNOWN = 'CPP0011117999999999999999';

const watching = (...fluxNumbers: string[]): INodeParameters => ({
	event: 'depositProcessed',
	fluxNumbers: fluxNumbers.join(',\n'),
	options: {},
});

/** The flux numbers whose report the trigger asked for since the log was cleared, in order. */
async function reportsAsked(): Promise<string[]> {
	return (await loggedRequests())
		.filter((request) => request.path === REPORT_PATH)
		.map((request) => String((request.body as IDataObject).numeroFluxDepot));
}

describe('Chorus Pro Trigger › Deposit Processed: refused flux numbers and list edits', () => {
	let n8n: TestInstance;

	beforeEach(async () => {
		await resetSandbox();
		n8n = new TestInstance(sandboxCredential());
	});

	/** Polls once, clearing the request log first; returns the items' JSON, the error and the reports asked. */
	async function poll(params: INodeParameters, activation: { staticData: IDataObject }) {
		await clearLog();
		const { items, error } = await n8n.poll(params, activation);
		return { emitted: items.map((item) => item.json), error, reports: await reportsAsked() };
	}

	const notFound = (fluxNumber: string) => ({
		event: 'fluxNotFound',
		fluxNumber,
		error: 'Chorus Pro refused the request: POQ_MSG_01.003 - Flux introuvable.',
		description: expect.stringContaining('Chorus Pro does not know this flux number'),
		codeRetour: 20001,
		libelle: 'POQ_MSG_01.003 - Flux introuvable.',
		httpStatus: 400,
	});
	const processed = (fluxNumber: string) =>
		expect.objectContaining({
			event: 'depositProcessed',
			fluxNumber,
			state: 'IN_INTEGRE',
			isFinal: true,
			isSuccess: true,
		});

	it('reports an unknown flux number once, as an item, and keeps following the others', async () => {
		const [first, second] = [await depositFlux(), await depositFlux()];
		const params = watching(first, UNKNOWN, second);
		const activation = { staticData: {} };

		// Activation: the unknown number is reported at once; the two deposits are still waiting.
		const activationPoll = await poll(params, activation);
		expect(activationPoll.error).toBeUndefined();
		expect(activationPoll.emitted).toEqual([notFound(UNKNOWN)]);
		expect(activationPoll.reports).toEqual([first, UNKNOWN, second]);

		// Both deposits reach their final state: emitted, and the unknown number is not repeated.
		const next = await poll(params, activation);
		expect(next.error).toBeUndefined();
		expect(next.emitted).toEqual([processed(first), processed(second)]);
		expect(next.reports).toEqual([first, UNKNOWN, second]);

		// Afterwards only the unknown number is still asked for (it may appear later), silently.
		for (let round = 0; round < 2; round++) {
			const quiet = await poll(params, activation);
			expect(quiet.error).toBeUndefined();
			expect(quiet.emitted).toEqual([]);
			expect(quiet.reports).toEqual([UNKNOWN]);
		}
	});

	it('emits, once, a deposit that became final while the list held an unknown number', async () => {
		const deposit = await depositFlux();
		const activation = { staticData: {} };
		const emitted: IDataObject[] = [];
		const errors: string[] = [];
		const pollWith = async (...fluxNumbers: string[]) => {
			const { emitted: items, error } = await poll(watching(...fluxNumbers), activation);
			if (error) errors.push(error.message);
			emitted.push(...items);
		};

		// Activated with an unknown number in the list, the deposit still waiting.
		await pollWith(UNKNOWN, deposit);
		await admin(`/flux/${deposit}/process`, {});
		await pollWith(UNKNOWN, deposit);
		await pollWith(UNKNOWN, deposit);
		// The user fixes the list.
		await pollWith(deposit);
		await pollWith(deposit);

		expect(emitted).toEqual([notFound(UNKNOWN), processed(deposit)]);
		expect(errors).toEqual([]);
	});

	it('editing the list: a deposit added later is emitted once, even when removed and added again', async () => {
		const [atActivation, addedLater, pending] = [
			await depositFlux(),
			await depositFlux(),
			await depositFlux(),
		];
		await admin(`/flux/${atActivation}/process`, {});
		await admin(`/flux/${addedLater}/process`, {});
		const activation = { staticData: {} };
		const emitted: IDataObject[] = [];
		const pollWith = async (...fluxNumbers: string[]) => {
			const { emitted: items, error } = await poll(watching(...fluxNumbers), activation);
			expect(error).toBeUndefined();
			emitted.push(...items);
			return items;
		};

		// Final at activation: history, not an event.
		expect(await pollWith(atActivation)).toEqual([]);
		// Added later, already final: emitted at the next poll.
		expect(await pollWith(atActivation, addedLater)).toEqual([processed(addedLater)]);
		// Removed, then added again with a new one: the one already emitted stays quiet.
		expect(await pollWith(atActivation)).toEqual([]);
		expect(await pollWith(atActivation, addedLater, pending)).toEqual([]);
		expect(await pollWith(addedLater, pending)).toEqual([processed(pending)]);
		expect(await pollWith(pending, addedLater, atActivation)).toEqual([]);
		expect(emitted).toHaveLength(2);
	});

	it('an unknown number added to a working list is reported once, and again only if re-added after removal', async () => {
		const deposit = await depositFlux();
		const activation = { staticData: {} };
		expect((await poll(watching(deposit), activation)).emitted).toEqual([]);
		expect((await poll(watching(deposit, UNKNOWN), activation)).emitted).toEqual([
			processed(deposit),
			notFound(UNKNOWN),
		]);
		expect((await poll(watching(deposit, UNKNOWN), activation)).emitted).toEqual([]);
		expect((await poll(watching(deposit), activation)).emitted).toEqual([]);
		expect((await poll(watching(UNKNOWN, deposit), activation)).emitted).toEqual([
			notFound(UNKNOWN),
		]);
	});

	it('a failure of Chorus Pro itself on one number (HTTP 500, even with a codeRetour) fails the poll, and nothing is lost', async () => {
		const [first, second] = [await depositFlux(), await depositFlux()];
		const params = watching(first, second);
		const activation = { staticData: {} };
		expect((await poll(params, activation)).emitted).toEqual([]);
		const saved = JSON.stringify(activation.staticData);

		// `first` answers; `second` gets four HTTP 500 with an error envelope (the read retries).
		await admin('/faults', [
			{ path: REPORT_PATH, count: 1, delayMs: 0 },
			{
				path: REPORT_PATH,
				count: 4,
				status: 500,
				headers: { 'Retry-After': '0' },
				body: { codeRetour: 29999, libelle: 'Erreur technique.' },
			},
		]);
		const failed = await poll(params, activation);
		expect(failed.error?.message).toBe('Chorus Pro refused the request: Erreur technique.');
		expect(failed.emitted).toEqual([]);
		expect(failed.reports).toEqual([first, second, second, second, second]);
		expect(JSON.stringify(activation.staticData)).toBe(saved);

		const next = await poll(params, activation);
		expect(next.error).toBeUndefined();
		expect(next.emitted).toEqual([processed(first), processed(second)]);
		expect(next.reports).toEqual([first, second]);
	});

	it('Fetch Test Event on an unknown number shows the item the workflow would get, and saves nothing', async () => {
		const activation = { staticData: {} };
		const { items, error } = await n8n.poll(watching(UNKNOWN), activation, 'manual');
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json)).toEqual([notFound(UNKNOWN)]);
		expect(activation.staticData).toEqual({});
	});
});
