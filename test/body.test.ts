import {
	base64File,
	base64Length,
	encodeBase64Into,
	roomForBase64,
	serializeBody,
} from '../nodes/ChorusPro/transport/body';

/** Bytes from a small seeded generator: the same "random" data on every run. */
function bytes(size: number, seed: number): Buffer {
	const data = Buffer.alloc(size);
	let state = seed >>> 0 || 1;
	for (let index = 0; index < size; index++) {
		state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
		data[index] = state >>> 24;
	}
	return data;
}

describe('base64 written into the request bytes', () => {
	// Every remainder mod 3, sizes around the old 48 KB chunks, and a few sizes from the generator.
	const sizes = [0, 1, 2, 3, 4, 5, 6, 49_151, 49_152, 49_153, 1_000_000, 1_000_001, 1_000_002];
	for (let seed = 1; sizes.length < 40; seed++)
		sizes.push(bytes(3, seed).readUIntBE(0, 3) % 70_000);

	it.each(sizes)('%i bytes: the same text as Buffer.toString("base64")', (size) => {
		const data = bytes(size, size + 7);
		const expected = data.toString('base64');
		expect(base64Length(size)).toBe(expected.length);
		// Written at an offset, between bytes that must stay as they are.
		const out = Buffer.alloc(expected.length + 6, 0xee);
		expect(encodeBase64Into(data, out, 3)).toBe(3 + expected.length);
		expect(out.subarray(3, 3 + expected.length).toString('latin1')).toBe(expected);
		expect([...out.subarray(0, 3), ...out.subarray(3 + expected.length)]).toEqual(
			Array(6).fill(0xee),
		);
	});

	it('every byte value, in every position of a group of three', () => {
		const data = Buffer.from(Array.from({ length: 256 * 3 }, (_, index) => (index * 7) % 256));
		for (const size of [data.length, data.length - 1, data.length - 2]) {
			const part = data.subarray(0, size);
			const out = Buffer.alloc(base64Length(size));
			encodeBase64Into(part, out, 0);
			expect(out.toString('latin1')).toBe(part.toString('base64'));
		}
	});
});

describe('request bodies carrying a file', () => {
	it.each([0, 1, 2, 3, 786_431, 786_432, 786_433, 2_500_001])(
		'encode %i bytes as JSON.stringify would',
		(size) => {
			const data = bytes(size, 11);
			const body = {
				nomFichier: 'facture été.pdf',
				fichierFlux: base64File(data),
				avecSignature: false,
				missing: undefined,
				liste: [1, { a: 'b' }],
			};
			const serialized = serializeBody(body);
			expect(Buffer.isBuffer(serialized)).toBe(true);
			const text = serialized.toString('utf8');
			expect(text).toBe(
				JSON.stringify({
					nomFichier: 'facture été.pdf',
					fichierFlux: data.toString('base64'),
					avecSignature: false,
					liste: [1, { a: 'b' }],
				}),
			);
		},
	);

	it('a file as the first or the only member', () => {
		const data = bytes(10, 3);
		expect(serializeBody({ fichierFlux: base64File(data) }).toString()).toBe(
			JSON.stringify({ fichierFlux: data.toString('base64') }),
		);
		expect(serializeBody({ fichierFlux: base64File(data), b: 'é' }).toString()).toBe(
			JSON.stringify({ fichierFlux: data.toString('base64'), b: 'é' }),
		);
	});

	it('keeps plain bodies as JSON text, empty ones included', () => {
		expect(serializeBody({})).toBe('{}');
		expect(serializeBody({ idFacture: 12, missing: undefined })).toBe('{"idFacture":12}');
	});
});

describe('request bodies made in the room their file was read into', () => {
	/** A file of `size` bytes read into a room, as the node reads files it sends. */
	function inRoom(size: number, seed: number) {
		const original = bytes(size, seed);
		const { room, data } = roomForBase64(size);
		data.set(original);
		return { original, room, file: base64File(data, room) };
	}

	it.each([1, 2, 3, 4, 5, 6, 7, 1_000, 1_001, 1_002, 786_433, 2_500_000])(
		'%i bytes: the base64 written over the file, the body the same as JSON.stringify',
		(size) => {
			const { original, room, file } = inRoom(size, size);
			const body = { nomFichier: 'facture été.pdf', fichierFlux: file, avecSignature: false };
			const serialized = serializeBody(body) as Buffer;
			expect(serialized.toString('utf8')).toBe(
				JSON.stringify({ ...body, fichierFlux: original.toString('base64') }),
			);
			// Made in the room itself: no second buffer the size of the file.
			expect(serialized.buffer).toBe(room.buffer);
		},
	);

	it('the same body again once the file has been written over (a request sent twice)', () => {
		const { original, file } = inRoom(10_000, 5);
		const first = serializeBody({ fichierFlux: file, nomFichier: 'a.pdf' }).toString();
		const again = serializeBody({ fichierFlux: file, nomFichier: 'a.pdf' }).toString();
		expect(again).toBe(first);
		expect(first).toBe(
			JSON.stringify({ fichierFlux: original.toString('base64'), nomFichier: 'a.pdf' }),
		);
	});

	it('members too long for the room around the file: the body gets bytes of its own', () => {
		const { original, room, file } = inRoom(3_000, 9);
		const long = 'é'.repeat(5_000);
		const serialized = serializeBody({ nomFichier: long, fichierFlux: file }) as Buffer;
		expect(serialized.buffer).not.toBe(room.buffer);
		expect(serialized.toString('utf8')).toBe(
			JSON.stringify({ nomFichier: long, fichierFlux: original.toString('base64') }),
		);
	});
});
