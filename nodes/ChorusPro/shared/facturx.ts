/**
 * Factur-X / ZUGFeRD detection in a PDF, the way a PDF reader finds an attachment: the embedded-file
 * streams (by their dictionary, or through the file specifications that point to them, which may
 * sit in compressed object streams), the start of their XML (a CII CrossIndustryInvoice root), and
 * the XMP metadata as a second signal. Works on the bytes: a 10 MB PDF is never copied into a
 * string, and only the bytes needed are inflated (the head of each candidate XML, bounded).
 */
import type { PdfStream } from './pdf';
import { clearFileSpecs, objectStreamFileSpecs, streamHead, streamObjects } from './pdf';

export interface FacturXInfo {
	/** `factur-x`: a CII invoice is embedded; `zugferd-1`: a ZUGFeRD 1.0 invoice; `none`: neither. */
	kind: 'factur-x' | 'zugferd-1' | 'none';
	/** MINIMUM, BASIC WL, BASIC, EN 16931, EXTENDED or XRECHNUNG, when the XML or the XMP says so. */
	profile?: string;
	/** Name of the embedded XML (factur-x.xml, zugferd-invoice.xml...). */
	embeddedFile?: string;
	/** What showed it: "embedded XML", "XMP metadata". */
	evidence: string[];
	/** The XMP metadata declares a Factur-X / ZUGFeRD invoice. */
	xmpDeclared: boolean;
	/** The whole embedded XML, when asked for and readable (validation reads it all). */
	xml?: Buffer;
}

/** The root element and the profile (guideline) come first in a CII invoice. */
const XML_HEAD_BYTES = 64 * 1024;
const MAX_XMP_BYTES = 1024 * 1024;
/** Bound of a whole embedded XML (validation reads it all); invoice XMLs weigh kilobytes. */
const MAX_XML_BYTES = 64 * 1024 * 1024;
interface Xmp {
	declared: boolean;
	zugferd1: boolean;
	level?: string;
	fileName?: string;
}

/** What the XMP metadata declares (fx: for Factur-X and ZUGFeRD 2.1+, zf: for ZUGFeRD 1.0 / 2.0). */
async function readXmp(pdf: Buffer, streams: PdfStream[]): Promise<Xmp> {
	const found: Xmp = { declared: false, zugferd1: false };
	for (const stream of streams.filter((s) => /\/Type\s*\/Metadata\b/.test(s.dict))) {
		const text = (await streamHead(pdf, stream, MAX_XMP_BYTES))?.toString('utf8') ?? '';
		const namespace =
			/urn:(factur-x|zugferd|ferd):pdfa:CrossIndustryDocument:invoice:(\d)p\d#/i.exec(text);
		if (!namespace) continue;
		const property = (name: string) =>
			new RegExp(`:${name}(?:\\s*=\\s*["']([^"']*)["']|\\s*>\\s*([^<]*?)\\s*<)`).exec(text);
		const level = property('ConformanceLevel');
		const fileName = property('DocumentFileName');
		return {
			declared: true,
			// Factur-X 1.0 is urn:factur-x:…:1p0#; ZUGFeRD 1.0 is urn:ferd:…:1p0#.
			zugferd1: /^(ferd|zugferd)$/i.test(namespace[1]) && namespace[2] === '1',
			level: level?.[1] ?? level?.[2],
			fileName: fileName?.[1] ?? fileName?.[2],
		};
	}
	return found;
}

/** The profile from the guideline ID of a CII invoice (BT-24) or the XMP conformance level. */
export function profileName(value: string | undefined): string | undefined {
	const v = (value ?? '').toLowerCase().replace(/[\s_-]/g, '');
	if (!v) return undefined;
	if (v.includes('xrechnung')) return 'XRECHNUNG';
	if (v.includes('extended')) return 'EXTENDED';
	if (v.includes('basicwl')) return 'BASIC WL';
	if (v.includes('minimum')) return 'MINIMUM';
	if (v.includes('basic')) return 'BASIC';
	if (v.includes('en16931') || v.includes('comfort')) return 'EN 16931';
	return undefined;
}

/** Root element of an XML file's head and, for a CII invoice, its guideline ID. */
function invoiceRoot(head: Buffer): { root?: string; guideline?: string } {
	const text = head
		.toString('utf8')
		.replace(/^\uFEFF/, '')
		.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, '');
	const root = /<(?:[\w.-]+:)?([\w.-]+)[\s>/]/.exec(text)?.[1];
	const guideline =
		/GuidelineSpecifiedDocumentContextParameter>\s*<(?:[\w.-]+:)?ID[^>]*>\s*([^<\s]+)/.exec(
			text,
		)?.[1];
	return { root, guideline };
}

/** Whether and how a PDF carries a Factur-X / ZUGFeRD invoice; with `withXml`, its whole XML. */
export async function readFacturX(pdf: Buffer, withXml = false): Promise<FacturXInfo> {
	const streams = streamObjects(pdf);
	const xmp = await readXmp(pdf, streams);
	const byNumber = new Map(streams.map((stream) => [stream.num, stream]));
	const typed = streams.filter((s) =>
		/\/Type\s*\/EmbeddedFile\b|\/Subtype\s*\/(?:text|application)#2[Ff]xml/.test(s.dict),
	);
	let specs = clearFileSpecs(pdf);
	if (!typed.length && !specs.some((spec) => byNumber.has(spec.stream)))
		specs = specs.concat(await objectStreamFileSpecs(pdf, streams));

	const candidates = [...new Set([...typed, ...specs.map((spec) => byNumber.get(spec.stream))])];
	const xmpEvidence = xmp.declared ? ['XMP metadata'] : [];
	let unreadable = 0;
	let zugferd1 = false;
	for (const stream of candidates) {
		if (!stream) continue;
		const head = await streamHead(pdf, stream, XML_HEAD_BYTES);
		if (!head?.length) {
			unreadable++;
			continue;
		}
		const { root, guideline } = invoiceRoot(head);
		if (root === 'CrossIndustryDocument') zugferd1 = true;
		if (root !== 'CrossIndustryInvoice') continue;
		return {
			kind: 'factur-x',
			profile: profileName(guideline) ?? profileName(xmp.level),
			embeddedFile: specs.find((spec) => spec.stream === stream.num)?.name ?? xmp.fileName,
			evidence: ['embedded XML', ...xmpEvidence],
			xmpDeclared: xmp.declared,
			...(withXml ? { xml: await streamHead(pdf, stream, MAX_XML_BYTES) } : {}),
		};
	}
	if (zugferd1 || xmp.zugferd1)
		return {
			kind: 'zugferd-1',
			evidence: zugferd1 ? ['embedded XML'] : xmpEvidence,
			xmpDeclared: xmp.declared,
		};
	// The XMP says Factur-X and an embedded file is there, in a form this reader cannot decode.
	if (
		xmp.declared &&
		(unreadable > 0 || (candidates.length === 0 && pdf.includes('/EmbeddedFiles')))
	)
		return {
			kind: 'factur-x',
			profile: profileName(xmp.level),
			embeddedFile: xmp.fileName,
			evidence: xmpEvidence,
			xmpDeclared: true,
		};
	return { kind: 'none', evidence: [], xmpDeclared: xmp.declared };
}
