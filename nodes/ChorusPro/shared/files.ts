/**
 * Invoice files: which Chorus Pro syntax (syntaxeFlux) a file is written in, read from its content,
 * and the size and name rules Chorus Pro applies, checked before anything is uploaded.
 */

/** syntaxeFlux values accepted by deposer/flux (API reference §4.1), with a readable name. */
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
		description: 'Mixed flux: minimal CII data and a PDF',
	},
	{
		name: 'CII Minimal + PDF, Older Version (E2)',
		value: 'IN_DP_E2_CII_MIN',
		description: 'Legacy mixed CII flux',
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
		name: 'PES Facture (E1)',
		value: 'IN_DP_E1_PES_FACTURE',
		description: 'French public-sector XML (withdrawn from the EDI specs in 2021)',
	},
	{
		name: 'PES Facture Minimal + PDF (E2)',
		value: 'IN_DP_E2_PES_FACTURE_MIN',
		description: 'Mixed PES flux',
	},
	{
		name: 'UBL 2.1 Invoice or Credit Note (E1)',
		value: 'IN_DP_E1_UBL_INVOICE',
		description: 'Full structured UBL XML',
	},
	{
		name: 'UBL Minimal + PDF (E2)',
		value: 'IN_DP_E2_UBL_INVOICE_MIN',
		description: 'Mixed flux: minimal UBL data and a PDF',
	},
	{
		name: 'UBL Legal Fees Statement (E3)',
		value: 'IN_DP_E3_UBL_INVOICE',
		description: 'Mémoire de frais de justice',
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
	if (data.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
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

/** Names of the XML a Factur-X / ZUGFeRD PDF embeds; they show in clear in the PDF structure. */
const FACTUR_X_NAMES = [
	'factur-x.xml',
	'Factur-X.xml',
	'zugferd-invoice.xml',
	'ZUGFeRD-invoice.xml',
	'xrechnung.xml',
];

/** A PDF that carries an embedded Factur-X / ZUGFeRD XML. */
export function isFacturX(pdf: Buffer): boolean {
	// Searched in the bytes: turning a 10 MB PDF into a string would copy it.
	return FACTUR_X_NAMES.some((name) => pdf.indexOf(`(${name})`, 0, 'latin1') >= 0);
}

async function inflate(data: Uint8Array, format: 'gzip' | 'deflate-raw'): Promise<Buffer> {
	const stream = new Blob([data as Uint8Array<ArrayBuffer>])
		.stream()
		.pipeThrough(new DecompressionStream(format));
	return Buffer.from(await new Response(stream).arrayBuffer());
}

/** The files of a zip archive (stored or deflated entries), read from the local headers. */
async function zipEntries(zip: Buffer): Promise<Array<{ name: string; data: Buffer }>> {
	const entries: Array<{ name: string; data: Buffer }> = [];
	let offset = 0;
	while (offset + 30 <= zip.length && zip.readUInt32LE(offset) === 0x04034b50) {
		const flags = zip.readUInt16LE(offset + 6);
		const method = zip.readUInt16LE(offset + 8);
		const compressedSize = zip.readUInt32LE(offset + 18);
		const nameLength = zip.readUInt16LE(offset + 26);
		const extraLength = zip.readUInt16LE(offset + 28);
		const name = zip.subarray(offset + 30, offset + 30 + nameLength).toString('utf8');
		const start = offset + 30 + nameLength + extraLength;
		// Sizes written after the data (flag 8) are not in the local header: stop reading there.
		if (flags & 0x08) break;
		const raw = zip.subarray(start, start + compressedSize);
		if (!name.endsWith('/')) {
			if (method === 0) entries.push({ name, data: raw });
			else if (method === 8) entries.push({ name, data: await inflate(raw, 'deflate-raw') });
		}
		offset = start + compressedSize;
	}
	return entries;
}

/** The files of a tar.gz archive. */
async function tarGzEntries(gz: Buffer): Promise<Array<{ name: string; data: Buffer }>> {
	const tar = await inflate(gz, 'gzip');
	const entries: Array<{ name: string; data: Buffer }> = [];
	for (let offset = 0; offset + 512 <= tar.length; ) {
		const header = tar.subarray(offset, offset + 512);
		if (header.every((byte) => byte === 0)) break;
		const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
		const prefix = header.subarray(345, 500).toString('utf8').replace(/\0.*$/s, '');
		const size = parseInt(
			header.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim() || '0',
			8,
		);
		const type = String.fromCharCode(header[156] || 48);
		if (type === '0' || type === '\0') {
			entries.push({
				name: prefix ? `${prefix}/${name}` : name,
				data: tar.subarray(offset + 512, offset + 512 + size),
			});
		}
		offset += 512 + Math.ceil(size / 512) * 512;
	}
	return entries;
}

/** Syntax of a single file (not a batch), or undefined when it cannot be told. */
function singleFileSyntax(data: Buffer): string | undefined {
	const kind = fileKind(data);
	if (kind === 'pdf') return isFacturX(data) ? 'IN_DP_E2_CII_FACTURX' : undefined;
	if (kind === 'xml') return xmlSyntax(data.toString('utf8'));
	return undefined;
}

export interface DetectedSyntax {
	syntax?: string;
	/** Why it could not be told, for the error message. */
	reason?: string;
	isBatch: boolean;
	invoiceFiles?: number;
}

/**
 * The syntaxeFlux of a file to deposit: Factur-X PDF, UBL or CII XML, or a zip / tar.gz batch
 * whose invoices all share one syntax.
 */
export async function detectSyntax(data: Buffer): Promise<DetectedSyntax> {
	const kind = fileKind(data);
	if (kind === 'zip' || kind === 'gzip') {
		let entries: Array<{ name: string; data: Buffer }>;
		try {
			entries = kind === 'zip' ? await zipEntries(data) : await tarGzEntries(data);
		} catch {
			return { isBatch: true, reason: 'the archive could not be read' };
		}
		const syntaxes = new Set(entries.map((entry) => singleFileSyntax(entry.data)));
		if (entries.length === 0) return { isBatch: true, reason: 'the archive holds no invoice file' };
		if (syntaxes.has(undefined)) {
			return {
				isBatch: true,
				reason: 'some files of the archive are neither UBL, CII nor Factur-X',
			};
		}
		if (syntaxes.size > 1) {
			return {
				isBatch: true,
				reason: 'the archive mixes several formats; Chorus Pro takes one format per deposit',
			};
		}
		return { isBatch: true, syntax: [...syntaxes][0], invoiceFiles: entries.length };
	}
	const syntax = singleFileSyntax(data);
	if (syntax) return { isBatch: false, syntax };
	if (kind === 'pdf') {
		return {
			isBatch: false,
			reason:
				'it is a PDF without embedded Factur-X XML; send a plain PDF with Invoice > Submit (from PDF) instead',
		};
	}
	if (kind === 'xml')
		return {
			isBatch: false,
			reason: 'its XML root is neither a UBL Invoice/CreditNote nor a CII CrossIndustryInvoice',
		};
	return { isBatch: false, reason: 'it is neither a PDF, an XML file, a zip nor a tar.gz archive' };
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
