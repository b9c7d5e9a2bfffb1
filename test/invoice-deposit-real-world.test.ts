import type { IDataObject } from 'n8n-workflow';

import { TestInstance } from './engine/run';
import {
	admin,
	clearLog,
	loggedRequests,
	resetSandbox,
	sandboxCredential,
} from './support/sandbox';
import { depositFile } from './support/invoices';

/**
 * Deposit File with files nobody here wrote: Factur-X / ZUGFeRD PDFs, plain PDFs, UBL and CII
 * files and archives from other projects' test suites (test/fixtures/real-world/SOURCES.md), with
 * the format left at "Detect From Content".
 */
const deposit = (waitForProcessing: boolean) =>
	depositFile({ waitForProcessing, options: { pollInterval: 1 } });

const item = (file: string) => ({
	binary: {
		data: {
			data: realWorldFixtures.read(file),
			fileName: file.split('/').pop() as string,
			mimeType: 'application/octet-stream',
		},
	},
});

const DEPOSIT_PATH = '/cpro/factures/v1/deposer/flux';
const deposits = async () => (await loggedRequests()).filter((r) => r.path === DEPOSIT_PATH);

/** Profile of each Factur-X PDF, as its XML's guideline ID (BT-24) and its XMP metadata say. */
const FACTUR_X: Record<string, { profile: string; embeddedFile: string }> = {
	'aspose_EN16931_objstm.pdf': { profile: 'EN 16931', embeddedFile: 'factur-x.xml' },
	'dwc_EXTENDED_pdf-2.0_pdfa-4f.pdf': { profile: 'EXTENDED', embeddedFile: 'factur-x.xml' },
	'factur-x-python_BASIC-WL_avoir-typecode-380.pdf': {
		profile: 'BASIC WL',
		embeddedFile: 'factur-x.xml',
	},
	'factur-x-python_EN16931_credit-note-381.pdf': {
		profile: 'EN 16931',
		embeddedFile: 'factur-x.xml',
	},
	'factur-x-python_MINIMUM_fx-minimum-1.pdf': { profile: 'MINIMUM', embeddedFile: 'factur-x.xml' },
	'fpdf-tiime_BASIC.pdf': { profile: 'BASIC', embeddedFile: 'factur-x.xml' },
	'intarsys_EN16931_zugferd-invoice-xml.pdf': {
		profile: 'EN 16931',
		embeddedFile: 'zugferd-invoice.xml',
	},
	'intarsys_XRECHNUNG_xrechnung-xml.pdf': { profile: 'XRECHNUNG', embeddedFile: 'xrechnung.xml' },
	'itext-symtrax_BASIC_zugferd211-Einfach.pdf': { profile: 'BASIC', embeddedFile: 'factur-x.xml' },
	'itext-symtrax_EN16931_Elektron_3-attachments.pdf': {
		profile: 'EN 16931',
		embeddedFile: 'factur-x.xml',
	},
	'itext-symtrax_EXTENDED_Kostenrechnung.pdf': {
		profile: 'EXTENDED',
		embeddedFile: 'factur-x.xml',
	},
	'itext-symtrax_MINIMUM_zugferd211-Rechnung.pdf': {
		profile: 'MINIMUM',
		embeddedFile: 'factur-x.xml',
	},
	'mustang_EN16931_weclapp.pdf': { profile: 'EN 16931', embeddedFile: 'factur-x.xml' },
	'obwyse_EN16931.pdf': { profile: 'EN 16931', embeddedFile: 'factur-x.xml' },
	'oracle_EXTENDED_zugferd-invoice-xml_objstm.pdf': {
		profile: 'EXTENDED',
		embeddedFile: 'zugferd-invoice.xml',
	},
	'pdf-lib_BASIC-WL_factur-x-js.pdf': { profile: 'BASIC WL', embeddedFile: 'factur-x.xml' },
};

describe('Invoice > Deposit File with real-world files', () => {
	let n8n: TestInstance;

	beforeAll(async () => {
		await resetSandbox();
		// Final at deposit: these tests are about reading the files, not waiting.
		await admin('/config', { fluxPollsToFinal: 0 });
		n8n = new TestInstance(sandboxCredential());
	});

	beforeEach(clearLog);

	it('every Factur-X PDF of the fixtures is listed with its profile', () => {
		expect(realWorldFixtures.list('factur-x')).toEqual(Object.keys(FACTUR_X).sort());
	});

	it('deposits Factur-X / ZUGFeRD 2 PDFs of several producers as IN_DP_E2_CII_FACTURX, with their profile, read by the platform', async () => {
		const files = Object.keys(FACTUR_X);
		const { items, error } = await n8n.runChorusPro(deposit(true), {
			items: files.map((file) => item(`factur-x/${file}`)),
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(files.length);
		items.forEach((output, index) => {
			const summary = output.json.summary as IDataObject;
			expect({ file: files[index], ...summary }).toMatchObject({
				file: files[index],
				syntax: 'IN_DP_E2_CII_FACTURX',
				facturX: {
					...FACTUR_X[files[index]],
					evidence: ['embedded XML', 'XMP metadata'],
				},
				isFinal: true,
				// The platform read the embedded XML: no technical error. The buyers of these
				// foreign samples are unknown to Chorus Pro, so their invoices may be rejected.
				technicalErrors: [],
			});
		});
		const sent = await deposits();
		expect(sent.map((r) => (r.body as IDataObject).syntaxeFlux)).toEqual(
			files.map(() => 'IN_DP_E2_CII_FACTURX'),
		);
	});

	it('refuses plain PDFs of several producers before sending, pointing to Submit (from PDF)', async () => {
		const files = realWorldFixtures.list('plain-pdf');
		const { items, error } = await n8n.runChorusPro(deposit(false), {
			items: files.map((file) => item(`plain-pdf/${file}`)),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(files.length);
		for (const output of items) {
			expect(output.json.error).toMatch(
				/^The format of ".+\.pdf" could not be detected: it is a PDF without embedded Factur-X XML; send a plain PDF with Invoice > Submit \(from PDF\) instead$/,
			);
		}
		expect(await deposits()).toHaveLength(0);
	});

	it('refuses a ZUGFeRD 1.0 PDF, which Chorus Pro does not take, naming what to export instead', async () => {
		const files = realWorldFixtures.list('zugferd-1');
		const { items } = await n8n.runChorusPro(deposit(false), {
			items: files.map((file) => item(`zugferd-1/${file}`)),
			continueOnFail: true,
		});
		expect(items.map((output) => output.json.error)).toEqual(
			files.map(() =>
				expect.stringMatching(/ZUGFeRD 1\.0 PDF .*export it as Factur-X \/ ZUGFeRD 2/),
			),
		);
		expect(await deposits()).toHaveLength(0);
	});

	it('deposits UBL and CII files of public test suites with their syntax', async () => {
		const files = [
			...realWorldFixtures.list('ubl').map((file) => `ubl/${file}`),
			...realWorldFixtures.list('cii').map((file) => `cii/${file}`),
		];
		const { items, error } = await n8n.runChorusPro(deposit(false), {
			items: files.map(item),
		});
		expect(error).toBeUndefined();
		expect(items.map((output) => (output.json.summary as IDataObject).syntax)).toEqual(
			files.map((file) => (file.startsWith('ubl/') ? 'IN_DP_E1_UBL_INVOICE' : 'IN_DP_E1_CII_16B')),
		);
	});

	it('deposits streamed zips of several writers and tar.gz batches with nested folders, with the syntax of their files', async () => {
		const batches: Record<string, [string, number]> = {
			'streamed-infozip_ubl.zip': ['IN_DP_E1_UBL_INVOICE', 4],
			'streamed-jar_cii.zip': ['IN_DP_E1_CII_16B', 4],
			'streamed-python-zipfile_factur-x.zip': ['IN_DP_E2_CII_FACTURX', 5],
			'nested-folders.zip': ['IN_DP_E1_UBL_INVOICE', 4],
			'macos-finder-style.zip': ['IN_DP_E1_UBL_INVOICE', 2],
			'ubl-nested.tar.gz': ['IN_DP_E1_UBL_INVOICE', 3],
			'long-name-gnu.tar.gz': ['IN_DP_E1_CII_16B', 1],
			'long-name-pax.tar.gz': ['IN_DP_E1_CII_16B', 1],
		};
		const files = Object.keys(batches);
		const { items, error } = await n8n.runChorusPro(deposit(true), {
			items: files.map((file) => item(`archives/${file}`)),
		});
		expect(error).toBeUndefined();
		items.forEach((output, index) => {
			const [syntax, invoiceFiles] = batches[files[index]];
			expect({ file: files[index], ...(output.json.summary as IDataObject) }).toMatchObject({
				file: files[index],
				syntax,
				batch: { invoiceFiles },
				isFinal: true,
				technicalErrors: [],
			});
		});
		expect((items[2].json.summary as IDataObject).batch).toMatchObject({
			profiles: expect.arrayContaining(['EN 16931']),
		});
	});

	it('refuses zip bombs, truncated and mixed archives quickly, before sending anything, with a clear error', async () => {
		const refused: Record<string, RegExp> = {
			'bomb-1gib-single-entry.zip':
				/"invoice\.xml" unpacks to more than 120 MB, more than Chorus Pro accepts/,
			'bomb-1gib-single-entry.tar.gz':
				/"invoice\.xml" unpacks to more than 120 MB, more than Chorus Pro accepts/,
			'bomb-2000-entries.zip': /holds 2000 files; Chorus Pro takes at most 500 invoices/,
			'truncated-60pct_nested-folders.zip': /the zip archive is truncated/,
			'truncated-60pct_ubl-nested.tar.gz': /the tar\.gz archive is damaged or truncated/,
			'mixed-ubl-cii.zip': /mixes several formats \(".+" is UBL .+, ".+" is CII .+\)/,
		};
		const files = Object.keys(refused);
		const { items, error } = await n8n.runChorusPro(deposit(false), {
			items: files.map((file) => item(`archives/${file}`)),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		items.forEach((output, index) => {
			expect(output.json.error).toMatch(refused[files[index]]);
			expect(output.json.error).toMatch(/^The format of ".+" could not be detected: /);
		});
		expect(await deposits()).toHaveLength(0);
	});

	it('stops inflating a zip entry that unpacks to more than its archive declares (a bomb that lies)', async () => {
		// The 1 GiB bomb with its declared size changed to 4 KB, in the central directory and the
		// local header: the entry is cut off after 4 KB of output instead of being unpacked.
		const bomb = Buffer.from(realWorldFixtures.read('archives/bomb-1gib-single-entry.zip'));
		const central = bomb.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
		bomb.writeUInt32LE(4096, central + 24);
		bomb.writeUInt32LE(4096, 22);
		const { items } = await n8n.runChorusPro(deposit(false), {
			items: [
				{ binary: { data: { data: bomb, fileName: 'lot.zip', mimeType: 'application/zip' } } },
			],
			continueOnFail: true,
		});
		expect(items[0].json.error).toMatch(
			/"invoice\.xml" unpacks to more than the size the archive declares for it; the archive is damaged or built to exhaust memory/,
		);
		expect(await deposits()).toHaveLength(0);
	});
});
