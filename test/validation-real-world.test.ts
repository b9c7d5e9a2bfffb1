import type { IDataObject } from 'n8n-workflow';

import { TestInstance } from './engine/run';
import { clearLog, requestsTo, resetSandbox, sandboxCredential } from './support/sandbox';

/**
 * Invoice > Validate File on every real invoice of the fixtures (EN 16931 examples of the
 * European Commission, KoSIT test cases, Factur-X / ZUGFeRD PDFs of every profile, batches): a
 * false alarm on a real file would block a user's deposit, so none may have an error in itself.
 * Their buyers are not French public entities: against Chorus Pro, each report says exactly that.
 */
const validate = (checkAgainstChorusPro: boolean) => ({
	resource: 'invoice',
	operation: 'validate',
	binaryPropertyName: 'data',
	checkAgainstChorusPro,
});

const item = (file: string) => ({
	binary: {
		data: {
			data: realWorldFixtures.read(file),
			fileName: file.split('/').pop() as string,
			mimeType: 'application/octet-stream',
		},
	},
});

const FILES = ['ubl', 'cii', 'factur-x'].flatMap((folder) =>
	realWorldFixtures.list(folder).map((file) => `${folder}/${file}`),
);
const BATCHES = [
	'streamed-infozip_ubl.zip',
	'streamed-jar_cii.zip',
	'streamed-python-zipfile_factur-x.zip',
	'nested-folders.zip',
	'macos-finder-style.zip',
	'ubl-nested.tar.gz',
	'long-name-gnu.tar.gz',
	'long-name-pax.tar.gz',
].map((file) => `archives/${file}`);

interface Finding extends IDataObject {
	rule: string;
	message: string;
}
type Report = IDataObject & { valid: boolean; errors: Finding[]; warnings: Finding[] };

describe('Invoice > Validate File on real invoices', () => {
	let n8n: TestInstance;

	beforeAll(async () => {
		await resetSandbox();
		n8n = new TestInstance(sandboxCredential());
	});

	beforeEach(clearLog);

	it('covers the EN 16931 examples, the KoSIT cases and Factur-X PDFs of every profile', () => {
		expect(FILES.filter((file) => file.startsWith('ubl/ce_')).length).toBeGreaterThanOrEqual(15);
		expect(FILES.filter((file) => file.startsWith('cii/ce_')).length).toBeGreaterThanOrEqual(12);
		const profiles = FILES.filter((file) => file.startsWith('factur-x/')).map(
			(file) => /_(MINIMUM|BASIC-WL|BASIC|EN16931|EXTENDED|XRECHNUNG)[_.]/.exec(file)?.[1],
		);
		expect(new Set(profiles)).toEqual(
			new Set(['MINIMUM', 'BASIC-WL', 'BASIC', 'EN16931', 'EXTENDED', 'XRECHNUNG']),
		);
	});

	it('finds no error in any real file, nor in the files of real batches', async () => {
		const { items, error } = await n8n.runChorusPro(validate(false), {
			items: [...FILES, ...BATCHES].map(item),
		});
		expect(error).toBeUndefined();
		const reports = items.map((output) => output.json as Report);
		// One report per file, one per file of each batch.
		expect(reports.length).toBe(FILES.length + 24);
		const withErrors = reports
			.filter((report) => report.errors.length)
			.map((report) => ({ file: report.file, errors: report.errors.map((e) => e.message) }));
		expect(withErrors).toEqual([]);
		expect(reports.every((report) => report.valid === true)).toBe(true);
		expect(await requestsTo('/cpro/structures/v1/rechercher')).toHaveLength(0);
	});

	it('against Chorus Pro, says for each that its buyer is not identified by a SIRET or is unknown, and nothing else', async () => {
		const { items, error } = await n8n.runChorusPro(validate(true), { items: FILES.map(item) });
		expect(error).toBeUndefined();
		const reports = items.map((output) => output.json as Report);
		expect(reports).toHaveLength(FILES.length);
		const buyerSirets = new Set<string>();
		reports.forEach((report, index) => {
			const rules = report.errors.map((finding) => finding.rule);
			expect({ file: FILES[index], rules }).toEqual({
				file: FILES[index],
				rules: [expect.stringMatching(/^buyer-(siret|known)$/)],
			});
			expect(report.checkedAgainstChorusPro).toBe(true);
			if (rules[0] === 'buyer-known') buyerSirets.add(String(report.errors[0].value));
		});
		// The French samples name their buyer by a SIREN (schemeID 0002, 9 digits) or a SIRET.
		const fnfe = reports[FILES.indexOf('factur-x/factur-x-python_MINIMUM_fx-minimum-1.pdf')];
		expect(fnfe.errors[0]).toMatchObject({
			rule: 'buyer-siret',
			term: 'BT-47',
			value: '987654321',
			message: 'The buyer is not identified by a SIRET: it gives 987654321 (schemeID 0002)',
		});
		const avoir =
			reports[FILES.indexOf('factur-x/factur-x-python_BASIC-WL_avoir-typecode-380.pdf')];
		expect(avoir.errors[0]).toMatchObject({
			rule: 'buyer-known',
			value: '78787878400035',
			message: 'No Chorus Pro structure has the buyer SIRET 78787878400035',
		});
		// One look-up per buyer for the whole run, whatever the number of its invoices.
		const searches = await requestsTo('/cpro/structures/v1/rechercher');
		expect(searches).toHaveLength(buyerSirets.size);
		expect(buyerSirets.size).toBeGreaterThan(0);
	});
});
