// @ts-check
/**
 * File sniffing and parsing for the flux and PDF services: a tiny XML reader (no DTD, no DOM library),
 * UBL 2.1 Invoice/CreditNote and CII D16B CrossIndustryInvoice extraction, the embedded `factur-x.xml` of a
 * Factur-X PDF, zip and tar.gz batches, and the text of simple PDFs (for the deposer/pdf "OCR").
 *
 * Errors that make a whole flux unreadable are thrown as {@link FileError} carrying a
 * `listeErreurTechnique` item ({codeErreur, libelleErreur, natureErreur}).
 */
import { inflateSync, inflateRawSync, gunzipSync, constants as zlibConstants } from 'node:zlib';

/** @typedef {{ codeErreur: string, libelleErreur: string, natureErreur: string }} TechnicalError */

/** Raised when a file cannot be read as the declared syntax. */
export class FileError extends Error {
	/** @param {string} codeErreur @param {string} libelleErreur */
	constructor(codeErreur, libelleErreur) {
		super(libelleErreur);
		/** @type {TechnicalError} */
		this.detail = { codeErreur, libelleErreur, natureErreur: 'IRRECEVABILITE' };
	}
}

/** @param {string} message @param {string} [where] */
const xsdError = (message, where = '') =>
	new FileError('ERR_XSD_001', `IRRECEVABILITE: ${message}${where}`);
/** @param {string} message */
const formatError = (message) => new FileError('ERR_FMT_001', `IRRECEVABILITE: ${message}`);

// ---------------------------------------------------------------------------------------------------------------
// Sniffing

/**
 * Kind of a file from its first bytes.
 * @param {Buffer} buf
 * @returns {'pdf'|'zip'|'gzip'|'xml'|'unknown'}
 */
export function sniff(buf) {
	if (buf.length >= 5 && buf.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
	if (buf.length >= 4 && (buf.readUInt32LE(0) === 0x04034b50 || buf.readUInt32LE(0) === 0x06054b50))
		return 'zip'; // (empty archive)
	if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) return 'gzip';
	let i = 0;
	if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) i = 3; // UTF-8 BOM
	while (i < buf.length && i < 4096 && /\s/.test(String.fromCharCode(buf[i]))) i++;
	if (buf[i] === 0x3c /* < */) return 'xml';
	return 'unknown';
}

// ---------------------------------------------------------------------------------------------------------------
// Tiny XML reader

/**
 * @typedef {object} XmlNode
 * @property {string} name local name (prefix removed)
 * @property {string} qname qualified name as written
 * @property {string} ns namespace URI ('' when none)
 * @property {Record<string, string>} attrs attributes by qualified name
 * @property {XmlNode[]} children
 * @property {string} text concatenated character data of this element (not of its children), trimmed
 * @property {number} line line of the start tag (1-based)
 */

/** @param {string} s */
function decodeEntities(s) {
	return s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, e) => {
		if (e[0] === '#')
			return String.fromCodePoint(
				e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10),
			);
		return /** @type {Record<string, string>} */ ({
			lt: '<',
			gt: '>',
			amp: '&',
			quot: '"',
			apos: "'",
		})[e];
	});
}

/**
 * Parses an XML document into a tree of elements. Checks well-formedness of tags (nesting, single root);
 * refuses DOCTYPE declarations (no entity expansion).
 * @param {string} xml
 * @returns {XmlNode} the root element
 */
export function parseXml(xml) {
	const text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
	/** @type {XmlNode[]} */
	const stack = [];
	/** @type {Record<string, string>[]} namespace scopes */
	const scopes = [{ xml: 'http://www.w3.org/XML/1998/namespace' }];
	/** @type {XmlNode|null} */
	let root = null;
	/** @type {string[][]} text chunks per open element */
	const texts = [];
	let pos = 0;
	let line = 1;
	/** @param {number} to */
	const advance = (to) => {
		for (let k = pos; k < to; k++) if (text.charCodeAt(k) === 10) line++;
		pos = to;
	};
	const tagRe =
		/<(\/?)([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/y;
	const attrRe = /([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/g;
	while (pos < text.length) {
		const lt = text.indexOf('<', pos);
		const chunk = text.slice(pos, lt < 0 ? text.length : lt);
		if (chunk.trim()) {
			if (!stack.length)
				throw xsdError(
					'Content is not allowed outside the root element.',
					` - ligne: ${line} - position: 1`,
				);
			texts[texts.length - 1].push(decodeEntities(chunk));
		}
		if (lt < 0) {
			advance(text.length);
			break;
		}
		advance(lt);
		if (text.startsWith('<?', pos)) {
			const end = text.indexOf('?>', pos);
			if (end < 0)
				throw xsdError('XML document structures must start and end within the same entity.');
			advance(end + 2);
			continue;
		}
		if (text.startsWith('<!--', pos)) {
			const end = text.indexOf('-->', pos);
			if (end < 0)
				throw xsdError('XML document structures must start and end within the same entity.');
			advance(end + 3);
			continue;
		}
		if (text.startsWith('<![CDATA[', pos)) {
			const end = text.indexOf(']]>', pos);
			if (end < 0 || !stack.length)
				throw xsdError('XML document structures must start and end within the same entity.');
			texts[texts.length - 1].push(text.slice(pos + 9, end));
			advance(end + 3);
			continue;
		}
		if (text.startsWith('<!', pos))
			throw xsdError('DOCTYPE is disallowed.', ` - ligne: ${line} - position: 1`);
		tagRe.lastIndex = pos;
		const m = tagRe.exec(text);
		if (!m)
			throw xsdError(
				'The markup in the document following the root element must be well-formed.',
				` - ligne: ${line} - position: 1`,
			);
		const [whole, closing, qname, attrText, selfClosing] = m;
		const tagLine = line;
		advance(pos + whole.length);
		if (closing) {
			const open = stack.pop();
			if (!open || open.qname !== qname) {
				throw xsdError(
					`The element type "${open ? open.qname : qname}" must be terminated by the matching end-tag "</${open ? open.qname : qname}>".`,
					` - ligne: ${tagLine} - position: 1`,
				);
			}
			open.text = (texts.pop() ?? []).join('').trim();
			scopes.pop();
			continue;
		}
		if (!stack.length && root)
			throw xsdError(
				'The markup in the document following the root element must be well-formed.',
				` - ligne: ${tagLine} - position: 1`,
			);
		/** @type {Record<string, string>} */
		const attrs = {};
		/** @type {Record<string, string>} */
		const scope = { ...scopes[scopes.length - 1] };
		for (const a of attrText.matchAll(attrRe)) {
			const value = decodeEntities(a[3] ?? a[4] ?? '');
			attrs[a[1]] = value;
			if (a[1] === 'xmlns') scope[''] = value;
			else if (a[1].startsWith('xmlns:')) scope[a[1].slice(6)] = value;
		}
		const colon = qname.indexOf(':');
		const prefix = colon < 0 ? '' : qname.slice(0, colon);
		/** @type {XmlNode} */
		const node = {
			name: colon < 0 ? qname : qname.slice(colon + 1),
			qname,
			ns: scope[prefix] ?? '',
			attrs,
			children: [],
			text: '',
			line: tagLine,
		};
		if (stack.length) stack[stack.length - 1].children.push(node);
		else root = node;
		if (!selfClosing) {
			stack.push(node);
			scopes.push(scope);
			texts.push([]);
		}
	}
	if (stack.length) {
		const open = stack[stack.length - 1];
		throw xsdError(
			`The element type "${open.qname}" must be terminated by the matching end-tag "</${open.qname}>".`,
			` - ligne: ${line} - position: 1`,
		);
	}
	if (!root) throw xsdError('Premature end of file.', ' - ligne: 1 - position: 1');
	return root;
}

/**
 * First descendant reached by following child local names, e.g. `at(root, 'AccountingSupplierParty', 'Party')`.
 * @param {XmlNode|undefined} node @param {...string} names
 * @returns {XmlNode|undefined}
 */
export function at(node, ...names) {
	let cur = node;
	for (const n of names) {
		if (!cur) return undefined;
		cur = cur.children.find((c) => c.name === n);
	}
	return cur;
}

/** Text of the node at that path, or null. @param {XmlNode|undefined} node @param {...string} names */
export function textAt(node, ...names) {
	const n = at(node, ...names);
	return n && n.text !== '' ? n.text : null;
}

/** All children with that local name. @param {XmlNode|undefined} node @param {string} name */
export function childrenNamed(node, name) {
	return node ? node.children.filter((c) => c.name === name) : [];
}

// ---------------------------------------------------------------------------------------------------------------
// Invoices

export const NS_UBL_INVOICE = 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2';
export const NS_UBL_CREDIT_NOTE = 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2';
export const NS_CII = 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100';

/**
 * Invoice data read from a UBL or CII document (amounts as numbers, dates `YYYY-MM-DD`).
 * `balises` give the paths used in the French error messages of the integration report.
 * @typedef {object} ParsedInvoice
 * @property {'UBL'|'CII'} syntaxe
 * @property {string} numero
 * @property {string} dateFacture
 * @property {string|null} dateEcheance
 * @property {'FACTURE'|'AVOIR'} typeFacture
 * @property {string} devise
 * @property {{ siret: string|null, nom: string|null }} fournisseur
 * @property {{ siret: string|null, nom: string|null }} destinataire
 * @property {string|null} codeService
 * @property {string|null} numeroEJ
 * @property {string|null} numeroMarche
 * @property {string|null} numeroFactureOrigine
 * @property {number} montantHT
 * @property {number} montantTVA
 * @property {number} montantTTC
 * @property {number} montantAPayer
 * @property {{ numero: number, reference: string|null, denomination: string, quantite: number, unite: string|null, prixUnitaire: number, montantHT: number, tauxTva: number|null }[]} lignes
 * @property {{ base: number, montant: number, taux: number|null }[]} lignesTva
 * @property {{ fournisseur: string, destinataire: string, service: string, engagement: string }} balises
 */

/**
 * @param {string|null} value @param {string} element @param {XmlNode|undefined} node
 * @returns {number}
 */
function decimal(value, element, node) {
	if (value == null) return 0;
	if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(value)) {
		throw xsdError(
			`cvc-datatype-valid.1.2.1: '${value}' is not a valid value for 'decimal'.`,
			` - ligne: ${node?.line ?? 1} - position: 1 (${element})`,
		);
	}
	return Number(value);
}

/** @param {string|null} v @param {string} element @param {XmlNode|undefined} node */
function isoDate(v, element, node) {
	if (v == null) return null;
	if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) {
		throw xsdError(
			`cvc-datatype-valid.1.2.1: '${v}' is not a valid value for 'date'.`,
			` - ligne: ${node?.line ?? 1} - position: 1 (${element})`,
		);
	}
	return v;
}

/** @param {XmlNode} parent @param {string} name */
function required(parent, name) {
	const n = at(parent, name);
	if (!n || (n.text === '' && !n.children.length)) {
		throw xsdError(
			`cvc-complex-type.2.4.b: The content of element '${parent.qname}' is not complete. One of '{${name}}' is expected.`,
			` - ligne: ${parent.line} - position: 1`,
		);
	}
	return n;
}

/**
 * SIRET of a UBL party: PartyIdentification/ID (scheme 0009 or none) then PartyLegalEntity/CompanyID.
 * @param {XmlNode|undefined} party
 */
function ublSiret(party) {
	const ids = childrenNamed(party, 'PartyIdentification')
		.map((p) => at(p, 'ID'))
		.filter((n) => n && n.text);
	const best =
		ids.find(
			(n) => !n?.attrs.schemeID || n.attrs.schemeID === '0009' || n.attrs.schemeID === '1',
		) ?? ids[0];
	if (best) return best.text;
	return textAt(party, 'PartyLegalEntity', 'CompanyID');
}

/**
 * Reads a UBL 2.1 Invoice or CreditNote.
 * @param {XmlNode} root
 * @returns {ParsedInvoice}
 */
export function readUbl(root) {
	const credit = root.name === 'CreditNote';
	const id = required(root, 'ID');
	const issue = required(root, 'IssueDate');
	const typeCode = textAt(root, credit ? 'CreditNoteTypeCode' : 'InvoiceTypeCode');
	const supplier = at(root, 'AccountingSupplierParty', 'Party');
	const customer = at(root, 'AccountingCustomerParty', 'Party');
	if (!at(root, 'AccountingSupplierParty')) required(root, 'AccountingSupplierParty');
	if (!at(root, 'AccountingCustomerParty')) required(root, 'AccountingCustomerParty');
	const total = required(root, 'LegalMonetaryTotal');
	const taxTotal = at(root, 'TaxTotal');
	const amount = (/** @type {XmlNode|undefined} */ n, /** @type {string} */ name) =>
		decimal(textAt(n, name), name, at(n, name));
	const montantHT = amount(total, 'TaxExclusiveAmount');
	const montantTTC = amount(total, 'TaxInclusiveAmount');
	const montantTVA = taxTotal
		? amount(taxTotal, 'TaxAmount')
		: Math.round((montantTTC - montantHT) * 100) / 100;
	const lineTag = credit ? 'CreditNoteLine' : 'InvoiceLine';
	const qtyTag = credit ? 'CreditedQuantity' : 'InvoicedQuantity';
	return {
		syntaxe: 'UBL',
		numero: id.text,
		dateFacture: /** @type {string} */ (isoDate(issue.text, 'IssueDate', issue)),
		dateEcheance: isoDate(textAt(root, 'DueDate'), 'DueDate', at(root, 'DueDate')),
		typeFacture: credit || typeCode === '381' ? 'AVOIR' : 'FACTURE',
		devise: textAt(root, 'DocumentCurrencyCode') ?? 'EUR',
		fournisseur: {
			siret: ublSiret(supplier),
			nom:
				textAt(supplier, 'PartyName', 'Name') ??
				textAt(supplier, 'PartyLegalEntity', 'RegistrationName'),
		},
		destinataire: {
			siret: ublSiret(customer),
			nom:
				textAt(customer, 'PartyName', 'Name') ??
				textAt(customer, 'PartyLegalEntity', 'RegistrationName'),
		},
		codeService: textAt(root, 'BuyerReference'),
		numeroEJ: textAt(root, 'OrderReference', 'ID'),
		numeroMarche: textAt(root, 'ContractDocumentReference', 'ID'),
		numeroFactureOrigine: textAt(root, 'BillingReference', 'InvoiceDocumentReference', 'ID'),
		montantHT,
		montantTVA,
		montantTTC,
		montantAPayer:
			textAt(total, 'PayableAmount') != null ? amount(total, 'PayableAmount') : montantTTC,
		lignes: childrenNamed(root, lineTag).map((l, i) => ({
			numero: Number(textAt(l, 'ID')) || i + 1,
			reference: textAt(l, 'Item', 'SellersItemIdentification', 'ID'),
			denomination: textAt(l, 'Item', 'Name') ?? '',
			quantite: decimal(textAt(l, qtyTag) ?? '1', qtyTag, at(l, qtyTag)),
			unite: at(l, qtyTag)?.attrs.unitCode ?? null,
			prixUnitaire: decimal(
				textAt(l, 'Price', 'PriceAmount'),
				'PriceAmount',
				at(l, 'Price', 'PriceAmount'),
			),
			montantHT: decimal(
				textAt(l, 'LineExtensionAmount'),
				'LineExtensionAmount',
				at(l, 'LineExtensionAmount'),
			),
			tauxTva:
				textAt(l, 'Item', 'ClassifiedTaxCategory', 'Percent') != null
					? Number(textAt(l, 'Item', 'ClassifiedTaxCategory', 'Percent'))
					: null,
		})),
		lignesTva: childrenNamed(taxTotal, 'TaxSubtotal').map((s) => ({
			base: decimal(textAt(s, 'TaxableAmount'), 'TaxableAmount', at(s, 'TaxableAmount')),
			montant: decimal(textAt(s, 'TaxAmount'), 'TaxAmount', at(s, 'TaxAmount')),
			taux:
				textAt(s, 'TaxCategory', 'Percent') != null
					? Number(textAt(s, 'TaxCategory', 'Percent'))
					: null,
		})),
		balises: {
			fournisseur: 'AccountingSupplierParty.Party.PartyIdentification.ID.value',
			destinataire: 'AccountingCustomerParty.Party.PartyIdentification.ID.value',
			service: 'BuyerReference.value',
			engagement: 'OrderReference.ID.value',
		},
	};
}

/** CII date `102` format (YYYYMMDD) → YYYY-MM-DD. @param {XmlNode|undefined} node @param {string} element */
function ciiDate(node, element) {
	const s = textAt(node, 'DateTimeString');
	if (s == null) return null;
	const m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
	if (!m)
		throw xsdError(
			`cvc-datatype-valid.1.2.1: '${s}' is not a valid value for 'DateTimeString' (format 102).`,
			` - ligne: ${node?.line ?? 1} - position: 1 (${element})`,
		);
	return `${m[1]}-${m[2]}-${m[3]}`;
}

/**
 * Reads a CII D16B CrossIndustryInvoice.
 * @param {XmlNode} root
 * @returns {ParsedInvoice}
 */
export function readCii(root) {
	const doc = required(root, 'ExchangedDocument');
	const id = required(doc, 'ID');
	const typeCode = required(doc, 'TypeCode').text;
	const issue = required(doc, 'IssueDateTime');
	const tx = required(root, 'SupplyChainTradeTransaction');
	const agreement = required(tx, 'ApplicableHeaderTradeAgreement');
	const settlement = required(tx, 'ApplicableHeaderTradeSettlement');
	const seller = required(agreement, 'SellerTradeParty');
	const buyer = required(agreement, 'BuyerTradeParty');
	const sum = required(settlement, 'SpecifiedTradeSettlementHeaderMonetarySummation');
	const devise = textAt(settlement, 'InvoiceCurrencyCode') ?? 'EUR';
	const amount = (/** @type {XmlNode|undefined} */ n, /** @type {string} */ name) =>
		decimal(textAt(n, name), name, at(n, name));
	// TaxTotalAmount may be repeated (invoice currency + accounting currency): keep the invoice currency one.
	const taxTotals = childrenNamed(sum, 'TaxTotalAmount');
	const taxNode =
		taxTotals.find((n) => !n.attrs.currencyID || n.attrs.currencyID === devise) ?? taxTotals[0];
	const montantHT = amount(sum, 'TaxBasisTotalAmount');
	const montantTTC = amount(sum, 'GrandTotalAmount');
	/** @param {XmlNode} party */
	const siret = (party) => {
		const legal = at(party, 'SpecifiedLegalOrganization', 'ID');
		if (legal && legal.text) return legal.text;
		const ids = childrenNamed(party, 'GlobalID')
			.concat(childrenNamed(party, 'ID'))
			.filter((n) => n.text);
		return (
			(ids.find((n) => n.attrs.schemeID === '0002' || n.attrs.schemeID === '0009') ?? ids[0])
				?.text ?? null
		);
	};
	return {
		syntaxe: 'CII',
		numero: id.text,
		dateFacture: /** @type {string} */ (ciiDate(issue, 'IssueDateTime')),
		dateEcheance: ciiDate(
			at(settlement, 'SpecifiedTradePaymentTerms', 'DueDateDateTime'),
			'DueDateDateTime',
		),
		typeFacture: typeCode === '381' ? 'AVOIR' : 'FACTURE',
		devise,
		fournisseur: { siret: siret(seller), nom: textAt(seller, 'Name') },
		destinataire: { siret: siret(buyer), nom: textAt(buyer, 'Name') },
		codeService: textAt(agreement, 'BuyerReference'),
		numeroEJ: textAt(agreement, 'BuyerOrderReferencedDocument', 'IssuerAssignedID'),
		numeroMarche: textAt(agreement, 'ContractReferencedDocument', 'IssuerAssignedID'),
		numeroFactureOrigine: textAt(settlement, 'InvoiceReferencedDocument', 'IssuerAssignedID'),
		montantHT,
		montantTVA: taxNode
			? decimal(taxNode.text, 'TaxTotalAmount', taxNode)
			: Math.round((montantTTC - montantHT) * 100) / 100,
		montantTTC,
		montantAPayer:
			textAt(sum, 'DuePayableAmount') != null ? amount(sum, 'DuePayableAmount') : montantTTC,
		lignes: childrenNamed(tx, 'IncludedSupplyChainTradeLineItem').map((l, i) => {
			const qty = at(l, 'SpecifiedLineTradeDelivery', 'BilledQuantity');
			const rate = textAt(
				l,
				'SpecifiedLineTradeSettlement',
				'ApplicableTradeTax',
				'RateApplicablePercent',
			);
			return {
				numero: Number(textAt(l, 'AssociatedDocumentLineDocument', 'LineID')) || i + 1,
				reference: textAt(l, 'SpecifiedTradeProduct', 'SellerAssignedID'),
				denomination: textAt(l, 'SpecifiedTradeProduct', 'Name') ?? '',
				quantite: decimal(qty?.text ?? '1', 'BilledQuantity', qty),
				unite: qty?.attrs.unitCode ?? null,
				prixUnitaire: decimal(
					textAt(l, 'SpecifiedLineTradeAgreement', 'NetPriceProductTradePrice', 'ChargeAmount'),
					'ChargeAmount',
					l,
				),
				montantHT: decimal(
					textAt(
						l,
						'SpecifiedLineTradeSettlement',
						'SpecifiedTradeSettlementLineMonetarySummation',
						'LineTotalAmount',
					),
					'LineTotalAmount',
					l,
				),
				tauxTva: rate != null ? Number(rate) : null,
			};
		}),
		lignesTva: childrenNamed(settlement, 'ApplicableTradeTax').map((t) => ({
			base: decimal(textAt(t, 'BasisAmount'), 'BasisAmount', at(t, 'BasisAmount')),
			montant: decimal(
				textAt(t, 'CalculatedAmount'),
				'CalculatedAmount',
				at(t, 'CalculatedAmount'),
			),
			taux:
				textAt(t, 'RateApplicablePercent') != null
					? Number(textAt(t, 'RateApplicablePercent'))
					: null,
		})),
		balises: {
			fournisseur:
				'SupplyChainTradeTransaction.ApplicableHeaderTradeAgreement.SellerTradeParty.SpecifiedLegalOrganization.ID.value',
			destinataire:
				'SupplyChainTradeTransaction.ApplicableHeaderTradeAgreement.BuyerTradeParty.SpecifiedLegalOrganization.ID.value',
			service: 'SupplyChainTradeTransaction.ApplicableHeaderTradeAgreement.BuyerReference.value',
			engagement:
				'SupplyChainTradeTransaction.ApplicableHeaderTradeAgreement.BuyerOrderReferencedDocument.IssuerAssignedID.value',
		},
	};
}

/**
 * Parses an XML invoice, requiring the given family ('UBL' or 'CII'). A document of the other family (or any
 * other root) is an XSD error: the real platform validates the file against the schema of the declared syntax.
 * @param {Buffer|string} data @param {'UBL'|'CII'} family
 * @returns {ParsedInvoice}
 */
export function readInvoiceXml(data, family) {
	const root = parseXml(typeof data === 'string' ? data : data.toString('utf8'));
	const expected =
		family === 'UBL' ? `{"${NS_UBL_INVOICE}":Invoice}` : `{"${NS_CII}":CrossIndustryInvoice}`;
	if (family === 'UBL' && root.ns === NS_UBL_INVOICE && root.name === 'Invoice')
		return readUbl(root);
	if (family === 'UBL' && root.ns === NS_UBL_CREDIT_NOTE && root.name === 'CreditNote')
		return readUbl(root);
	if (family === 'CII' && root.ns === NS_CII && root.name === 'CrossIndustryInvoice')
		return readCii(root);
	throw xsdError(
		`cvc-elt.1.a: Cannot find the declaration of element '${root.qname}' (expected ${expected}).`,
		` - ligne: ${root.line} - position: 1`,
	);
}

// ---------------------------------------------------------------------------------------------------------------
// PDF

/**
 * Stream objects of a PDF: object number, dictionary text and raw (still encoded) bytes. Streams cannot live
 * in object streams, so a plain scan finds them all (embedded files included) even in PDFs using xref streams.
 * @param {Buffer} pdf
 * @returns {{ num: number, dict: string, data: Buffer }[]}
 */
export function pdfStreams(pdf) {
	const text = pdf.toString('latin1');
	const re = /(\d+)\s+(\d+)\s+obj\b/g;
	/** @type {{ num: number, dict: string, data: Buffer }[]} */
	const out = [];
	/** @type {RegExpExecArray|null} */
	let m;
	while ((m = re.exec(text))) {
		const start = m.index + m[0].length;
		const endobj = text.indexOf('endobj', start);
		const streamKw = text.indexOf('stream', start);
		if (streamKw < 0 || (endobj >= 0 && streamKw > endobj)) continue;
		const dict = text.slice(start, streamKw);
		let dataStart = streamKw + 6;
		if (text[dataStart] === '\r') dataStart++;
		if (text[dataStart] === '\n') dataStart++;
		const lenMatch = /\/Length\s+(\d+)(\s+\d+\s+R)?/.exec(dict);
		let dataEnd = -1;
		if (lenMatch && !lenMatch[2]) {
			const candidate = dataStart + Number(lenMatch[1]);
			if (/^\s*endstream/.test(text.slice(candidate, candidate + 20))) dataEnd = candidate;
		}
		if (dataEnd < 0) {
			// indirect or wrong /Length: fall back on the endstream keyword
			dataEnd = text.indexOf('endstream', dataStart);
			if (dataEnd < 0) continue;
			if (text[dataEnd - 1] === '\n') dataEnd--;
			if (text[dataEnd - 1] === '\r') dataEnd--;
		}
		out.push({ num: Number(m[1]), dict, data: pdf.subarray(dataStart, dataEnd) });
		re.lastIndex = dataEnd;
	}
	return out;
}

/** @param {{ dict: string, data: Buffer }} stream */
function decodeStream(stream) {
	if (!/\/FlateDecode/.test(stream.dict)) {
		if (/\/Filter/.test(stream.dict)) return null; // other filters are not supported
		return stream.data;
	}
	try {
		return inflateSync(stream.data, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
	} catch {
		return null;
	}
}

/**
 * The embedded Factur-X XML of a PDF: the embedded file named `factur-x.xml` (also accepts the ZUGFeRD names
 * `zugferd-invoice.xml` / `xrechnung.xml`), else any embedded XML file containing a CrossIndustryInvoice.
 * @param {Buffer} pdf
 * @returns {string|null} the XML text, or null when the PDF has none
 */
export function extractFacturXml(pdf) {
	const text = pdf.toString('latin1');
	const streams = pdfStreams(pdf);
	const embedded = streams.filter(
		(s) => /\/Type\s*\/EmbeddedFile\b/.test(s.dict) || /\/Subtype\s*\/text#2Fxml/.test(s.dict),
	);
	// Filespec → /EF << /F n 0 R >> when the Filespec is readable (not inside a compressed object stream).
	const spec =
		/\/F\s*\((factur-x\.xml|zugferd-invoice\.xml|xrechnung\.xml)\)[\s\S]{0,400}?\/EF\s*<<[^>]*?\/F\s+(\d+)\s+\d+\s+R/.exec(
			text,
		) ??
		/\/EF\s*<<[^>]*?\/F\s+(\d+)\s+\d+\s+R[^>]*>>[\s\S]{0,400}?\/F\s*\((factur-x\.xml|zugferd-invoice\.xml|xrechnung\.xml)\)/.exec(
			text,
		);
	if (spec) {
		const num = Number(spec[2] && /^\d+$/.test(spec[2]) ? spec[2] : spec[1]);
		const target = streams.find((s) => s.num === num);
		const data = target && decodeStream(target);
		if (data) return data.toString('utf8');
	}
	for (const s of embedded) {
		const data = decodeStream(s);
		if (data && data.includes('CrossIndustryInvoice')) return data.toString('utf8');
	}
	return null;
}

/**
 * Visible text of a simple PDF: the literal strings shown by `Tj`/`TJ`/`'`/`"` in its (uncompressed or
 * FlateDecode) content streams, one line per text-positioning operator. Good enough for generated PDFs.
 * @param {Buffer} pdf
 * @returns {string}
 */
export function pdfText(pdf) {
	/** @type {string[]} */
	const lines = [];
	for (const s of pdfStreams(pdf)) {
		if (
			/\/Type\s*\/(EmbeddedFile|Metadata|XRef|ObjStm)\b/.test(s.dict) ||
			/\/Subtype\s*\/(Image|XML)/.test(s.dict)
		)
			continue;
		const data = decodeStream(s);
		if (!data) continue;
		const content = data.toString('latin1');
		if (!/\bBT\b/.test(content)) continue;
		let current = '';
		const tokenRe = /\((?:\\.|[^\\)])*\)|T\*|\b(?:Td|TD|Tm|ET|BT)\b|'/g;
		for (const t of content.match(tokenRe) ?? []) {
			if (t[0] === '(') {
				current += t
					.slice(1, -1)
					.replace(/\\([nrtbf()\\]|[0-7]{1,3})/g, (_, e) =>
						/^[0-7]/.test(e)
							? String.fromCharCode(parseInt(e, 8))
							: /** @type {Record<string, string>} */ (({
									n: '\n',
									r: '\r',
									t: '\t',
									b: '\b',
									f: '\f',
								})[e] ?? e),
					);
			} else if (current) {
				lines.push(current);
				current = '';
			}
		}
		if (current) lines.push(current);
	}
	return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Archives

/**
 * @typedef {{ name: string, data: Buffer }} ArchiveFile
 */

/** @param {string} name */
const isJunk = (name) => name.endsWith('/') || /(^|\/)(__MACOSX\/|\.)/.test(name);

/**
 * Files of a zip archive (stored or deflated entries; directories and hidden files skipped). Uses the
 * central directory (so data descriptors are supported); throws FileError when unreadable.
 * @param {Buffer} buf
 * @returns {ArchiveFile[]}
 */
export function readZip(buf) {
	let eocd = -1;
	for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
		if (buf.readUInt32LE(i) === 0x06054b50) {
			eocd = i;
			break;
		}
	}
	if (eocd < 0) throw formatError("L'archive zip est illisible (répertoire central absent).");
	const count = buf.readUInt16LE(eocd + 10);
	let p = buf.readUInt32LE(eocd + 16);
	/** @type {ArchiveFile[]} */
	const files = [];
	for (let n = 0; n < count; n++) {
		if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50)
			throw formatError("L'archive zip est illisible (entrée du répertoire central invalide).");
		const method = buf.readUInt16LE(p + 10);
		const compSize = buf.readUInt32LE(p + 20);
		const nameLen = buf.readUInt16LE(p + 28);
		const extraLen = buf.readUInt16LE(p + 30);
		const commentLen = buf.readUInt16LE(p + 32);
		const localOffset = buf.readUInt32LE(p + 42);
		const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
		p += 46 + nameLen + extraLen + commentLen;
		if (isJunk(name)) continue;
		if (localOffset + 30 > buf.length || buf.readUInt32LE(localOffset) !== 0x04034b50)
			throw formatError(`L'archive zip est illisible (entrée ${name}).`);
		const start =
			localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
		const raw = buf.subarray(start, start + compSize);
		let data;
		try {
			if (method === 0) data = Buffer.from(raw);
			else if (method === 8) data = inflateRawSync(raw);
			else throw new Error('method');
		} catch {
			throw formatError(
				`L'entrée ${name} de l'archive zip est illisible (méthode de compression ${method}).`,
			);
		}
		files.push({ name, data });
	}
	return files;
}

/**
 * Files of a gzip-compressed tar archive (ustar/GNU; regular files only, pax headers skipped, GNU long names
 * supported). Throws FileError when unreadable.
 * @param {Buffer} buf
 * @returns {ArchiveFile[]}
 */
export function readTarGz(buf) {
	let tar;
	try {
		tar = gunzipSync(buf);
	} catch {
		throw formatError("L'archive tar.gz est illisible (flux gzip invalide).");
	}
	/** @type {ArchiveFile[]} */
	const files = [];
	let p = 0;
	/** @type {string|null} */
	let longName = null;
	while (p + 512 <= tar.length) {
		const header = tar.subarray(p, p + 512);
		if (header.every((b) => b === 0)) break;
		const field = (/** @type {number} */ o, /** @type {number} */ l) =>
			header
				.subarray(o, o + l)
				.toString('utf8')
				.replace(/\0.*$/s, '');
		const size = parseInt(field(124, 12).trim() || '0', 8);
		if (!Number.isFinite(size))
			throw formatError("L'archive tar est illisible (taille d'entrée invalide).");
		let sum = 0;
		for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : header[i];
		if (parseInt(field(148, 8).trim(), 8) !== sum)
			throw formatError("L'archive tar est illisible (somme de contrôle d'en-tête invalide).");
		const type = String.fromCharCode(header[156] || 48);
		const prefix = field(257, 6) === 'ustar' ? field(345, 155) : '';
		const name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
		const data = tar.subarray(p + 512, p + 512 + size);
		p += 512 + Math.ceil(size / 512) * 512;
		if (type === 'L') {
			longName = data.toString('utf8').replace(/\0.*$/s, '');
			continue;
		}
		longName = null;
		if ((type === '0' || type === '7') && !isJunk(name))
			files.push({ name, data: Buffer.from(data) });
	}
	return files;
}

// ---------------------------------------------------------------------------------------------------------------
// Flux

/** Expected content per deposit syntax (API.md §4.1). Syntaxes without a family are not read by the sandbox. */
export const SYNTAXES =
	/** @type {Record<string, { family: 'UBL'|'CII'|'FACTURX'|null, interface: string }>} */ ({
		IN_DP_E1_UBL_INVOICE: { family: 'UBL', interface: '1100' },
		IN_DP_E1_PES_FACTURE: { family: null, interface: '1101' },
		IN_DP_E1_XCBL: { family: null, interface: '1103' },
		IN_DP_E1_CII: { family: 'CII', interface: '1105' },
		IN_DP_E1_CII_16B: { family: 'CII', interface: '1106' },
		IN_DP_E2_CPP_FACTURE_MIN: { family: null, interface: '1110' },
		IN_DP_E2_UBL_INVOICE_MIN: { family: 'UBL', interface: '1111' },
		IN_DP_E2_PES_FACTURE_MIN: { family: null, interface: '1112' },
		IN_DP_E2_CII_MIN: { family: 'CII', interface: '1115' },
		IN_DP_E2_CII_MIN_16B: { family: 'CII', interface: '1116' },
		IN_DP_E2_CII_FACTURX: { family: 'FACTURX', interface: '1117' },
		IN_DP_E3_UBL_INVOICE: { family: 'UBL', interface: '1120' },
	});

/**
 * One invoice document found in a flux.
 * @typedef {{ fileName: string, kind: 'xml'|'pdf', data: Buffer, invoice: ParsedInvoice }} FluxDocument
 */

/**
 * Reads one (non-archive) document according to the syntax family.
 * @param {string} fileName @param {Buffer} data @param {'UBL'|'CII'|'FACTURX'} family
 * @returns {FluxDocument}
 */
function readDocument(fileName, data, family) {
	const kind = sniff(data);
	const where = ` (fichier ${fileName})`;
	try {
		if (family === 'FACTURX') {
			if (kind !== 'pdf')
				throw formatError(`Le fichier n'est pas un PDF Factur-X (PDF/A-3 attendu)${where}.`);
			const xml = extractFacturXml(data);
			if (xml == null) throw formatError(`Le PDF ne contient pas de fichier factur-x.xml${where}.`);
			return { fileName, kind: 'pdf', data, invoice: readInvoiceXml(xml, 'CII') };
		}
		if (kind !== 'xml')
			throw formatError(
				`Le fichier n'est pas un document XML ${family === 'UBL' ? 'UBL' : 'CII'}${where}.`,
			);
		return { fileName, kind: 'xml', data, invoice: readInvoiceXml(data, family) };
	} catch (err) {
		if (err instanceof FileError && !err.detail.libelleErreur.includes(fileName)) {
			err.detail.libelleErreur += where;
		}
		throw err;
	}
}

/**
 * Reads a deposited flux: a single document or a zip / tar.gz batch of documents, all of the declared syntax.
 * Any unreadable document makes the whole flux unreadable (every such document gets a technical error).
 * @param {Buffer} data @param {string} syntaxeFlux @param {string} nomFichier
 * @returns {{ documents: FluxDocument[], errors: TechnicalError[] }}
 */
export function readFlux(data, syntaxeFlux, nomFichier) {
	const syntax = SYNTAXES[syntaxeFlux];
	if (!syntax || !syntax.family) {
		return {
			documents: [],
			errors: [
				new FileError(
					'ERR_SBX_001',
					`IRRECEVABILITE: la syntaxe ${syntaxeFlux} n'est pas lue par le bac à sable.`,
				).detail,
			],
		};
	}
	const family = syntax.family;
	const kind = sniff(data);
	/** @type {ArchiveFile[]} */
	let files;
	try {
		if (kind === 'zip') files = readZip(data);
		else if (kind === 'gzip') files = readTarGz(data);
		else files = [{ name: nomFichier, data }];
	} catch (err) {
		if (err instanceof FileError) return { documents: [], errors: [err.detail] };
		throw err;
	}
	if (!files.length)
		return {
			documents: [],
			errors: [formatError(`L'archive ${nomFichier} ne contient aucun fichier.`).detail],
		};
	/** @type {FluxDocument[]} */
	const documents = [];
	/** @type {TechnicalError[]} */
	const errors = [];
	for (const f of files) {
		try {
			documents.push(readDocument(f.name, f.data, family));
		} catch (err) {
			if (err instanceof FileError) errors.push(err.detail);
			else throw err;
		}
	}
	return errors.length ? { documents: [], errors } : { documents, errors: [] };
}

/**
 * Strict standard base64 decoding (whitespace tolerated, padding required when needed, no data-URI prefix).
 * @param {unknown} value
 * @returns {Buffer|null} null when not valid base64
 */
export function decodeBase64(value) {
	if (typeof value !== 'string') return null;
	const s = value.replace(/\s+/g, '');
	if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return null;
	return Buffer.from(s, 'base64');
}

/**
 * What the deposer/pdf "OCR" reads from the visible text of a PDF: simple French markers such as
 * `Facture N° X`, `Date : YYYY-MM-DD` (or DD/MM/YYYY), `SIRET destinataire : …`, `Code service : …`,
 * `Engagement juridique : …`, `Total HT : …`, `Total TVA : …`, `Total TTC : …`, `Net a payer : …`, `Devise : EUR`.
 * Missing markers give null.
 * @param {Buffer} pdf
 */
export function ocrInvoice(pdf) {
	const text = pdfText(pdf);
	/** @param {RegExp} re */
	const find = (re) => {
		const m = re.exec(text);
		return m ? m[1].trim() : null;
	};
	/** @param {RegExp} re */
	const num = (re) => {
		const v = find(re);
		if (v == null) return null;
		const n = Number(v.replace(/[\s\u00a0]/g, '').replace(',', '.'));
		return Number.isFinite(n) ? n : null;
	};
	let date = find(/Date(?: de facture)?\s*:?\s*(\d{4}-\d{2}-\d{2}|\d{2}\/\d{2}\/\d{4})/i);
	if (date && date.includes('/')) date = date.split('/').reverse().join('-');
	const avoir = /^\s*Avoir\s+N/im.test(text);
	return {
		numeroFacture: find(
			/(?:Facture|Avoir)\s*N(?:°|\xb0|o|um[ée]ro)?\.?\s*:?\s*([A-Za-z0-9\-_/+]+)/i,
		),
		dateFacture: date,
		codeDestinataire: find(/SIRET destinataire\s*:?\s*(\d{14})/i),
		codeServiceExecutant: find(/Code service\s*:?\s*([A-Za-z0-9_\-]+)/i),
		codeFournisseur: find(/SIRET fournisseur\s*:?\s*(\d{14})/i),
		codeDeviseFacture: find(/Devise\s*:?\s*([A-Z]{3})\b/),
		typeFacture: avoir ? 'AVOIR' : 'FACTURE',
		typeTva: null,
		numeroBonCommande: find(/(?:Engagement juridique|Bon de commande)\s*:?\s*([A-Za-z0-9\-_/+]+)/i),
		montantTtcAvantRemiseGlobalTTC: num(/Total TTC\s*:?\s*([\d\s\u00a0.,]+\d)/i),
		montantAPayer: num(/Net [àa] payer\s*:?\s*([\d\s\u00a0.,]+\d)/i),
		montantHtTotal: num(/Total HT\s*:?\s*([\d\s\u00a0.,]+\d)/i),
		montantTVA: num(/Total TVA\s*:?\s*([\d\s\u00a0.,]+\d)/i),
	};
}
