import type { IExecuteFunctions } from 'n8n-workflow';

import type { InputFile } from '../nodes/ChorusPro/shared/binary';
import { fileToSend, itemFileBytes, keepToSend } from '../nodes/ChorusPro/shared/binary';
import type { ExecutionCache } from '../nodes/ChorusPro/shared/cache';
import { Base64File } from '../nodes/ChorusPro/transport/body';

const MB = 1024 * 1024;
// A kept file is handed over without asking n8n for it: no execution context is needed.
const noContext = undefined as unknown as IExecuteFunctions;

const checked = (bytes: number, fill = 0): InputFile => ({
	data: Buffer.alloc(bytes, fill),
	fileName: 'invoice.pdf',
	mimeType: 'application/pdf',
});

describe('files kept from their checks to their sends', () => {
	it('hands over the very bytes the checks read, once, and frees their room in the run', async () => {
		const cache: ExecutionCache = new Map();
		const first = checked(20 * MB, 1);
		const kept = await keepToSend(cache, 'data', first);
		expect(kept.kept?.data).toBe(first.data);

		// 20 MB held: another 20 MB file would go past the run's 32 MB, so it is read again later.
		const second = await keepToSend(cache, 'data', checked(20 * MB, 2));
		expect(second).toEqual({ property: 'data' });

		const value = (await fileToSend.call(noContext, 0, kept)) as unknown as Base64File;
		expect(value).toBeInstanceOf(Base64File);
		expect(value.data).toBe(first.data);
		expect(kept.kept).toBeUndefined();
		// Taken, the first file no longer counts: a file of the same size is kept again.
		const third = await keepToSend(cache, 'data', checked(20 * MB, 3));
		expect(third.kept?.data[0]).toBe(3);
	});

	it('keeps files of one run together up to 32 MB, not per file', async () => {
		const cache: ExecutionCache = new Map();
		const kept = [];
		for (let n = 0; n < 5; n++) kept.push(await keepToSend(cache, `file${n}`, checked(7 * MB)));
		expect(kept.map((file) => file.kept !== undefined)).toEqual([true, true, true, true, false]);
		// Another run starts with its own room.
		expect((await keepToSend(new Map(), 'data', checked(7 * MB))).kept).toBeDefined();
	});
});

describe("what an item's files weigh, before they are read", () => {
	const stored = (fields: object) => ({
		mimeType: 'application/pdf',
		data: 'filesystem-v2',
		id: 'x',
		...fields,
	});

	it('reads what n8n 2 says (bytes), what n8n 1 shows ("1.5 MB") and the base64 of a file in memory', () => {
		expect(itemFileBytes({ json: {}, binary: { data: stored({ bytes: 12_345 }) } })).toBe(12_345);
		expect(itemFileBytes({ json: {}, binary: { data: stored({ fileSize: '1.5 MB' }) } })).toBe(
			1_500_000,
		);
		const inMemory = { mimeType: 'application/pdf', data: Buffer.alloc(3000).toString('base64') };
		expect(
			itemFileBytes({ json: {}, binary: { a: inMemory, b: stored({ fileSize: '2 kB' }) } }),
		).toBe(5000);
		expect(itemFileBytes({ json: {} })).toBe(0);
	});

	it('says nothing when one of the files has no size it can read', () => {
		expect(itemFileBytes({ json: {}, binary: { data: stored({}) } })).toBeUndefined();
		expect(
			itemFileBytes({ json: {}, binary: { data: stored({ fileSize: 'large' }) } }),
		).toBeUndefined();
	});
});
