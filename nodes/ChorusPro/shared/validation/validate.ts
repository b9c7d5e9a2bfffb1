/**
 * Validation of an invoice file in itself: a UBL or CII XML, the XML a Factur-X PDF embeds, or each
 * file of a zip / tar.gz batch. One report per invoice, with the findings of the rules of rules.ts.
 */
import { archiveFiles } from '../archives';
import { readFacturX } from '../facturx';
import { detectSyntax, fileKind } from '../files';
import type { XmlElement } from '../xml';
import { decodeXml, parseXml, XmlError } from '../xml';
import type { Hit } from './checks';
import { FILE_CHECKS } from './checks';
import { readCii, readUbl } from './readers';
import { ruleOf, RULES } from './rules';
import type { InvoiceTerms } from './terms';
import { NS } from './terms';

export interface Finding {
	rule: string;
	term: string | null;
	path: string;
	value: string | null;
	message: string;
	hint: string;
}

export interface InvoiceReport {
	file: string;
	/** The zip or tar.gz the file came from. */
	archive?: string;
	/** The Chorus Pro syntax (syntaxeFlux) of the file, when it is one this node reads. */
	syntax: string | null;
	profile: string | null;
	invoiceNumber: string | null;
	valid: boolean;
	errors: Finding[];
	warnings: Finding[];
}

export interface Validated {
	report: InvoiceReport;
	/** The business terms read, for the checks against Chorus Pro. */
	terms?: InvoiceTerms;
}

const fill = (text: string, hit: Hit) =>
	text.replace(/\{(\w+)\}/g, (whole, key: string) => {
		if (key === 'value') return hit.value ?? '';
		if (key === 'term') return hit.term ?? '';
		return hit.details?.[key] ?? whole;
	});

/** Adds what rule `id` found to a report. */
export function record(report: InvoiceReport, id: string, hits: Hit[]): void {
	const rule = ruleOf(id);
	for (const hit of hits) {
		const finding: Finding = {
			rule: id,
			term: hit.term,
			path: hit.path,
			value: hit.value,
			message: fill(rule.message, hit),
			hint: fill(rule.hint, hit),
		};
		(rule.severity === 'error' ? report.errors : report.warnings).push(finding);
	}
	report.valid = report.errors.length === 0;
}

function emptyReport(file: string, syntax: string | null): InvoiceReport {
	return {
		file,
		syntax,
		profile: null,
		invoiceNumber: null,
		valid: true,
		errors: [],
		warnings: [],
	};
}

const ROOTS: Record<string, { syntax: 'UBL' | 'CII'; children: string[]; below: string[] }> = {
	[`${NS.ubl} Invoice`]: {
		syntax: 'UBL',
		children: [NS.cbc, NS.cac, NS.ext],
		below: [NS.cbc, NS.cac],
	},
	[`${NS.ublCreditNote} CreditNote`]: {
		syntax: 'UBL',
		children: [NS.cbc, NS.cac, NS.ext],
		below: [NS.cbc, NS.cac],
	},
	[`${NS.rsm} CrossIndustryInvoice`]: {
		syntax: 'CII',
		children: [NS.rsm],
		below: [NS.ram, NS.udt, NS.qdt],
	},
};

/** The first element of each namespace the syntax does not use (extension contents aside). */
function foreignElements(root: XmlElement, children: string[], below: string[]): XmlElement[] {
	const found = new Map<string, XmlElement>();
	const walk = (element: XmlElement, allowed: string[]) => {
		if (!allowed.includes(element.ns) && !found.has(element.ns)) found.set(element.ns, element);
		if (element.ns === NS.ext) return;
		element.children.forEach((child) => walk(child, below));
	};
	root.children.forEach((child) => walk(child, children));
	return [...found.values()];
}

/** Validates one invoice XML in itself; `syntax` is the Chorus Pro syntax it is deposited as. */
function validateXml(bytes: Uint8Array, file: string, syntax: string): Validated {
	const report = emptyReport(file, syntax);
	let root: XmlElement | undefined;
	let failure: unknown;
	try {
		root = parseXml(decodeXml(bytes));
	} catch (error) {
		failure = error;
	}
	if (!root) {
		if (!(failure instanceof XmlError)) throw failure;
		const at = `line ${failure.line}, column ${failure.column}`;
		const details = { reason: `${failure.reason} (${at})` };
		record(report, 'xml-well-formed', [{ term: null, path: at, value: null, details }]);
		return { report };
	}
	const kind = ROOTS[`${root.ns} ${root.local}`];
	if (!kind || (syntax === 'IN_DP_E2_CII_FACTURX' && kind.syntax !== 'CII')) {
		record(report, 'xml-root', [
			{ term: null, path: `/${root.name}`, value: `{${root.ns}}${root.local}` },
		]);
		return { report };
	}
	const foreign = foreignElements(root, kind.children, kind.below);
	if (foreign.length) {
		const where = (element: XmlElement): string =>
			element.parent ? `${where(element.parent)}/${element.name}` : `/${element.name}`;
		const hits = foreign.map((element) => ({
			term: null,
			path: where(element),
			value: `{${element.ns}}${element.local}`,
			details: { syntax: kind.syntax },
		}));
		record(report, 'xml-namespaces', hits);
		return { report };
	}
	const terms = kind.syntax === 'UBL' ? readUbl(root) : readCii(root);
	report.profile = terms.profile;
	report.invoiceNumber = terms.number.value;
	for (const rule of RULES) {
		const check = FILE_CHECKS[rule.id as keyof typeof FILE_CHECKS];
		if (check) record(report, rule.id, check(terms));
	}
	return { report, terms };
}

/** A Factur-X PDF: the validation of its embedded XML. */
async function validatePdf(pdf: Buffer, file: string): Promise<Validated> {
	const found = await readFacturX(pdf, true);
	if (found.xml) return validateXml(found.xml, file, 'IN_DP_E2_CII_FACTURX');
	const report = emptyReport(file, 'IN_DP_E2_CII_FACTURX');
	report.profile = found.profile ?? null;
	record(report, 'embedded-xml-unread', [
		{ term: null, path: found.embeddedFile ?? file, value: null },
	]);
	return { report };
}

/** One invoice file, not a batch. */
async function validateSingle(data: Buffer, file: string, syntax: string): Promise<Validated> {
	return syntax === 'IN_DP_E2_CII_FACTURX'
		? await validatePdf(data, file)
		: validateXml(data, file, syntax);
}

/**
 * Validates a file in itself: one result per invoice (a batch gives one per file). A file that is
 * not an invoice this node reads gives one result with a `file-format` error.
 */
export async function validateFile(data: Buffer, fileName: string): Promise<Validated[]> {
	const detected = await detectSyntax(data);
	if (!detected.syntax) {
		const report = emptyReport(fileName, null);
		const reason = detected.reason ?? 'unknown content';
		record(report, 'file-format', [
			{ term: null, path: fileName, value: null, details: { reason } },
		]);
		return [{ report }];
	}
	if (!detected.isBatch) return [await validateSingle(data, fileName, detected.syntax)];
	const results: Validated[] = [];
	for await (const entry of archiveFiles(data, fileKind(data) === 'zip' ? 'zip' : 'gzip')) {
		const validated = await validateSingle(entry.data, entry.name, detected.syntax);
		results.push({ ...validated, report: { ...validated.report, archive: fileName } });
	}
	return results;
}
