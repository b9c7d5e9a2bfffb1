import { base64File, serializeBody } from '../nodes/ChorusPro/transport/body';

describe('request bodies carrying a file', () => {
	it.each([0, 1, 2, 3, 786_431, 786_432, 786_433, 2_500_001])(
		'encode %i bytes as JSON.stringify would',
		(size) => {
			const data = Buffer.alloc(size);
			for (let index = 0; index < size; index++) data[index] = (index * 31 + 7) % 256;
			const body = {
				nomFichier: 'facture été.pdf',
				fichierFlux: base64File(data),
				avecSignature: false,
				liste: [1, { a: 'b' }],
			};
			const bytes = serializeBody(body);
			expect(Buffer.isBuffer(bytes)).toBe(true);
			expect(JSON.parse(bytes.toString('utf8'))).toEqual({
				nomFichier: 'facture été.pdf',
				fichierFlux: data.toString('base64'),
				avecSignature: false,
				liste: [1, { a: 'b' }],
			});
		},
	);

	it('keeps plain bodies as JSON text, empty ones included', () => {
		expect(serializeBody({})).toBe('{}');
		expect(serializeBody({ idFacture: 12, missing: undefined })).toBe('{"idFacture":12}');
	});
});
