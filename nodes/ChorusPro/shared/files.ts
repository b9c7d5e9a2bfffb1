import { ArchiveError, archiveFiles } from './archives';
import { readFacturX } from './facturx';

/**
 * Invoice files: which Chorus Pro syntax (syntaxeFlux) a file is written in, read from its content,
 * and the size and name rules Chorus Pro applies, checked before anything is uploaded.
 */

/** syntaxeFlux values accepted by deposer/flux (docs/chorus-pro-api.md §4.1), with a readable name. */
export const FLUX_SYNTAXES: Array<{ name: string; value: string; description: string }> = [
	{
		name: 'CII D16B (E1)',
		value: 'IN_DP_E1_CII_16B',
		description: 'UN/CEFACT Cross Industry Invoice XML, EN 16931',
	},
	{ name: 'CII, Older Version (E1)', value: 'IN_DP_E1_CII', description: 'Legacy CII XML' },
	{
		name: 'CII D16B Minimal + PDF (E2)',
		value: 'IN_DP_E2_CII_MIN_16B',
		description: 'Mixed file: minimal CII data and a PDF',
	},
	{
		name: 'CII Minimal + PDF, Older Version (E2)',
		value: 'IN_DP_E2_CII_MIN',
		description: 'Legacy mixed file: minimal CII data and a PDF',
	},
	{
		name: 'CPP Mixed Format (E2)',
		value: 'IN_DP_E2_CPP_FACTURE_MIN',
		description: 'Chorus Pro proprietary mixed format',
	},
	{
		name: 'Factur-X / ZUGFeRD PDF (E2)',
		value: 'IN_DP_E2_CII_FACTURX',
		description: 'PDF/A-3 with its CII XML embedded',
	},
	{
		name: 'PES Invoice (E1)',
		value: 'IN_DP_E1_PES_FACTURE',
		description:
			'XML format of the French public sector (withdrawn from the EDI specifications in 2021)',
	},
	{
		name: 'PES Invoice Minimal + PDF (E2)',
		value: 'IN_DP_E2_PES_FACTURE_MIN',
		description: 'Mixed file: minimal PES data and a PDF',
	},
	{
		name: 'UBL 2.1 Invoice or Credit Note (E1)',
		value: 'IN_DP_E1_UBL_INVOICE',
		description: 'Full structured UBL XML',
	},
	{
		name: 'UBL Minimal + PDF (E2)',
		value: 'IN_DP_E2_UBL_INVOICE_MIN',
		description: 'Mixed file: minimal UBL data and a PDF',
	},
	{
		name: 'UBL Legal Fees Statement (E3)',
		value: 'IN_DP_E3_UBL_INVOICE',
		description: 'Statement of court and legal fees, in UBL',
	},
	{ name: 'XCBL (E1)', value: 'IN_DP_E1_XCBL', description: 'The xCBL XML format' },
];

/** Largest file Chorus Pro takes as a PDF (deposer/pdf) or as an attachment (ajouter/fichier). */
export const MAX_PDF_BYTES = 10 * 1024 * 1024;
/** Ceiling of an invoice with its attachments; used for a deposited flux. */
export const MAX_FLUX_BYTES = 120 * 1024 * 1024;
/** nomFichier of deposer/flux and deposer/pdf: varchar(200). */
export const MAX_FILE_NAME_LENGTH = 200;
/** Attachments: at most 50 characters with the extension, and one of these extensions. */
export const MAX_ATTACHMENT_NAME_LENGTH = 50;
export const ATTACHMENT_EXTENSIONS = [
	'BMP',
	'BZ2',
	'CSV',
	'DOC',
	'DOCX',
	'FAX',
	'GIF',
	'GZ',
	'GZIP',
	'HTM',
	'HTML',
	'JPEG',
	'JPG',
	'ODP',
	'ODS',
	'ODT',
	'P7S',
	'PDF',
	'PNG',
	'PPS',
	'PPT',
	'PPTX',
	'RTF',
	'SVG',
	'TGZ',
	'TIF',
	'TIFF',
	'TXT',
	'XHTML',
	'XLC',
	'XLM',
	'XLS',
	'XLSX',
	'XML',
	'ZIP',
];

export type FileKind = 'pdf' | 'xml' | 'zip' | 'gzip' | 'unknown';

export function fileKind(data: Buffer): FileKind {
	// PDF readers accept the header anywhere in the first 1024 bytes.
	if (data.subarray(0, 1024).includes('%PDF-')) return 'pdf';
	if (data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04) return 'zip';
	if (data[0] === 0x1f && data[1] === 0x8b) return 'gzip';
	if (
		/^\s*</.test(
			data
				.subarray(0, 200)
				.toString('utf8')
				.replace(/^\uFEFF/, ''),
		)
	)
		return 'xml';
	return 'unknown';
}

/** Syntax of one XML invoice from its root element, or undefined. */
export function xmlSyntax(xml: string): string | undefined {
	const body = xml.replace(/<\?[\s\S]*?\?>/g, '').replace(/<!--[\s\S]*?-->/g, '');
	const root = /<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s>/]/.exec(body)?.[2];
	if (root === 'CrossIndustryInvoice') return 'IN_DP_E1_CII_16B';
	if (
		(root === 'Invoice' || root === 'CreditNote') &&
		/urn:oasis:names:specification:ubl:schema/.test(body)
	) {
		return 'IN_DP_E1_UBL_INVOICE';
	}
	return undefined;
}

const syntaxName = (value: string) =>
	FLUX_SYNTAXES.find((syntax) => syntax.value === value)?.name ?? value;

/** Syntax of a single file (not a batch), with what was found in a Factur-X PDF. */
async function singleFileSyntax(data: Buffer): Promise<DetectedSyntax> {
	const kind = fileKind(data);
	if (kind === 'xml') {
		const syntax = xmlSyntax(data.toString('utf8'));
		if (syntax) return { isBatch: false, syntax };
		return {
			isBatch: false,
			reason: 'its XML root is neither a UBL Invoice/CreditNote nor a CII CrossIndustryInvoice',
		};
	}
	if (kind !== 'pdf')
		return {
			isBatch: false,
			reason: 'it is neither a PDF, an XML file, a zip nor a tar.gz archive',
		};
	const found = await readFacturX(data);
	if (found.kind === 'factur-x') {
		const { profile, embeddedFile, evidence } = found;
		return {
			isBatch: false,
			syntax: 'IN_DP_E2_CII_FACTURX',
			facturX: { profile: profile ?? null, embeddedFile: embeddedFile ?? null, evidence },
		};
	}
	if (found.kind === 'zugferd-1')
		return {
			isBatch: false,
			reason:
				'it is a ZUGFeRD 1.0 PDF (CrossIndustryDocument XML), which Chorus Pro does not take; export it as Factur-X / ZUGFeRD 2 instead',
		};
	return {
		isBatch: false,
		reason: found.xmpDeclared
			? 'its metadata declares Factur-X, but it embeds no CII invoice XML; export it again with its XML, or send it as a plain PDF with Invoice > Submit (from PDF)'
			: 'it is a PDF without embedded Factur-X XML; send a plain PDF with Invoice > Submit (from PDF) instead',
	};
}

export interface DetectedSyntax {
	syntax?: string;
	/** Why it could not be told, for the error message. */
	reason?: string;
	isBatch: boolean;
	invoiceFiles?: number;
	/** A Factur-X PDF: its profile, the name of its XML and what showed it. */
	facturX?: { profile: string | null; embeddedFile: string | null; evidence: string[] };
	/** A batch of Factur-X PDFs: the profiles found. */
	profiles?: string[];
}

async function batchSyntax(data: Buffer, kind: 'zip' | 'gzip'): Promise<DetectedSyntax> {
	/** The first file of each syntax, to name them when they differ. */
	const syntaxes = new Map<string, string>();
	const profiles = new Set<string>();
	let files = 0;
	try {
		for await (const file of archiveFiles(data, kind)) {
			files++;
			const detected = await singleFileSyntax(file.data);
			if (!detected.syntax)
				return { isBatch: true, reason: `"${file.name}" cannot be deposited: ${detected.reason}` };
			if (!syntaxes.has(detected.syntax)) syntaxes.set(detected.syntax, file.name);
			if (detected.facturX?.profile) profiles.add(detected.facturX.profile);
		}
	} catch (error) {
		const reason = error instanceof ArchiveError ? error.message : 'the archive could not be read';
		return { isBatch: true, reason };
	}
	if (files === 0) return { isBatch: true, reason: 'the archive holds no invoice file' };
	if (syntaxes.size > 1) {
		const examples = [...syntaxes].map(([syntax, name]) => `"${name}" is ${syntaxName(syntax)}`);
		return {
			isBatch: true,
			reason: `the archive mixes several formats (${examples.join(', ')}); Chorus Pro takes one format per deposit: make one archive per format`,
		};
	}
	const [syntax] = syntaxes.keys();
	return { isBatch: true, syntax, invoiceFiles: files, profiles: [...profiles] };
}

/**
 * The syntaxeFlux of a file to deposit: Factur-X PDF, UBL or CII XML, or a zip / tar.gz batch
 * whose invoices all share one syntax. An archive is read within bounds (see archives.ts).
 */
export async function detectSyntax(data: Buffer): Promise<DetectedSyntax> {
	const kind = fileKind(data);
	if (kind === 'zip' || kind === 'gzip') return await batchSyntax(data, kind);
	return await singleFileSyntax(data);
}

/** File name extension expected for a kind of content. */
export function expectedExtensions(kind: FileKind): string[] {
	switch (kind) {
		case 'pdf':
			return ['.pdf'];
		case 'xml':
			return ['.xml'];
		case 'zip':
			return ['.zip'];
		case 'gzip':
			return ['.tar.gz', '.tgz'];
		default:
			return [];
	}
}
