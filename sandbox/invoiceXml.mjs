// @ts-check
/**
 * The invoice data of a UBL 2.1 Invoice / CreditNote or a CII D16B CrossIndustryInvoice (EN 16931), as the
 * integration of a flux needs it. A document that breaks the schema on what is read here (a missing required
 * element, a malformed amount or date, the other syntax's root) is a FileError `ERR_XSD_001` naming the element
 * and its line. The checks run in a fixed order, so the first of several problems is always the one reported.
 */
import { xsdError } from './fileErrors.mjs';
import { parseXml, at, textAt, childrenNamed } from './xml.mjs';

/** @typedef {import('./xml.mjs').XmlNode} XmlNode */

export const NS_UBL_INVOICE = 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2';
export const NS_UBL_CREDIT_NOTE = 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2';
export const NS_CII = 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100';

/**
 * Invoice data read from a UBL or CII document (amounts as numbers, dates `YYYY-MM-DD`). `elementPaths` give the
 * paths the French messages of the integration report name (`balise`).
 * @typedef {object} ParsedInvoice
 * @property {'UBL'|'CII'} syntax
 * @property {string} number
 * @property {string} date issue date
 * @property {string|null} dueDate
 * @property {'FACTURE'|'AVOIR'} type
 * @property {string} currency
 * @property {{ siret: string|null, name: string|null }} supplier
 * @property {{ siret: string|null, name: string|null }} recipient
 * @property {string|null} serviceCode
 * @property {string|null} ej engagement juridique (purchase order) number
 * @property {string|null} contractNumber
 * @property {string|null} precedingInvoice
 * @property {number} amountHT
 * @property {number} amountVAT
 * @property {number} amountTTC
 * @property {number} amountDue
 * @property {{ number: number, reference: string|null, description: string, quantity: number, unit: string|null, unitPrice: number, amountHT: number, vatRate: number|null }[]} lines
 * @property {{ base: number, amount: number, rate: number|null }[]} taxes
 * @property {{ supplier: string, recipient: string, service: string, ej: string }} elementPaths
 */

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
// Typed values

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

/** The decimal of the child `name` of `node` (0 when absent). @param {XmlNode|undefined} node @param {string} name */
const amount = (node, name) => decimal(textAt(node, name), name, at(node, name));

/** A percentage, or null when absent. @param {string|null} value */
const rate = (value) => (value != null ? Number(value) : null);

/** @param {string|null} value @param {string} element @param {XmlNode|undefined} node */
function isoDate(value, element, node) {
	if (value == null) return null;
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
		throw xsdError(
			`cvc-datatype-valid.1.2.1: '${value}' is not a valid value for 'date'.`,
			` - ligne: ${node?.line ?? 1} - position: 1 (${element})`,
		);
	}
	return value;
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

/** The child `name`, which the schema requires. @param {XmlNode} parent @param {string} name */
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

// ---------------------------------------------------------------------------------------------------------------
// UBL 2.1

/** @type {ParsedInvoice['elementPaths']} */
const UBL_PATHS = {
	supplier: 'AccountingSupplierParty.Party.PartyIdentification.ID.value',
	recipient: 'AccountingCustomerParty.Party.PartyIdentification.ID.value',
	service: 'BuyerReference.value',
	ej: 'OrderReference.ID.value',
};

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
	const amountHT = amount(total, 'TaxExclusiveAmount');
	const amountTTC = amount(total, 'TaxInclusiveAmount');
	const amountVAT = taxTotal
		? amount(taxTotal, 'TaxAmount')
		: Math.round((amountTTC - amountHT) * 100) / 100;
	return {
		syntax: 'UBL',
		number: id.text,
		date: /** @type {string} */ (isoDate(issue.text, 'IssueDate', issue)),
		dueDate: isoDate(textAt(root, 'DueDate'), 'DueDate', at(root, 'DueDate')),
		type: credit || typeCode === '381' ? 'AVOIR' : 'FACTURE',
		currency: textAt(root, 'DocumentCurrencyCode') ?? 'EUR',
		supplier: ublParty(supplier),
		recipient: ublParty(customer),
		serviceCode: textAt(root, 'BuyerReference'),
		ej: textAt(root, 'OrderReference', 'ID'),
		contractNumber: textAt(root, 'ContractDocumentReference', 'ID'),
		precedingInvoice: textAt(root, 'BillingReference', 'InvoiceDocumentReference', 'ID'),
		amountHT,
		amountVAT,
		amountTTC,
		amountDue: textAt(total, 'PayableAmount') != null ? amount(total, 'PayableAmount') : amountTTC,
		lines: ublLines(root, credit),
		taxes: childrenNamed(taxTotal, 'TaxSubtotal').map((s) => ({
			base: amount(s, 'TaxableAmount'),
			amount: amount(s, 'TaxAmount'),
			rate: rate(textAt(s, 'TaxCategory', 'Percent')),
		})),
		elementPaths: { ...UBL_PATHS },
	};
}

/** SIRET and name of a UBL party. @param {XmlNode|undefined} party */
function ublParty(party) {
	return {
		siret: ublSiret(party),
		name:
			textAt(party, 'PartyName', 'Name') ?? textAt(party, 'PartyLegalEntity', 'RegistrationName'),
	};
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

/** InvoiceLine / CreditNoteLine items. @param {XmlNode} root @param {boolean} credit @returns {ParsedInvoice['lines']} */
function ublLines(root, credit) {
	const lineTag = credit ? 'CreditNoteLine' : 'InvoiceLine';
	const quantityTag = credit ? 'CreditedQuantity' : 'InvoicedQuantity';
	return childrenNamed(root, lineTag).map((l, i) => ({
		number: Number(textAt(l, 'ID')) || i + 1,
		reference: textAt(l, 'Item', 'SellersItemIdentification', 'ID'),
		description: textAt(l, 'Item', 'Name') ?? '',
		quantity: decimal(textAt(l, quantityTag) ?? '1', quantityTag, at(l, quantityTag)),
		unit: at(l, quantityTag)?.attrs.unitCode ?? null,
		unitPrice: decimal(
			textAt(l, 'Price', 'PriceAmount'),
			'PriceAmount',
			at(l, 'Price', 'PriceAmount'),
		),
		amountHT: amount(l, 'LineExtensionAmount'),
		vatRate: rate(textAt(l, 'Item', 'ClassifiedTaxCategory', 'Percent')),
	}));
}

// ---------------------------------------------------------------------------------------------------------------
// CII D16B

const CII_AGREEMENT = 'SupplyChainTradeTransaction.ApplicableHeaderTradeAgreement';
/** @type {ParsedInvoice['elementPaths']} */
const CII_PATHS = {
	supplier: `${CII_AGREEMENT}.SellerTradeParty.SpecifiedLegalOrganization.ID.value`,
	recipient: `${CII_AGREEMENT}.BuyerTradeParty.SpecifiedLegalOrganization.ID.value`,
	service: `${CII_AGREEMENT}.BuyerReference.value`,
	ej: `${CII_AGREEMENT}.BuyerOrderReferencedDocument.IssuerAssignedID.value`,
};

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
	const currency = textAt(settlement, 'InvoiceCurrencyCode') ?? 'EUR';
	// TaxTotalAmount may be repeated (invoice currency + accounting currency): keep the invoice currency one.
	const taxTotals = childrenNamed(sum, 'TaxTotalAmount');
	const taxNode =
		taxTotals.find((n) => !n.attrs.currencyID || n.attrs.currencyID === currency) ?? taxTotals[0];
	const amountHT = amount(sum, 'TaxBasisTotalAmount');
	const amountTTC = amount(sum, 'GrandTotalAmount');
	return {
		syntax: 'CII',
		number: id.text,
		date: /** @type {string} */ (ciiDate(issue, 'IssueDateTime')),
		dueDate: ciiDate(
			at(settlement, 'SpecifiedTradePaymentTerms', 'DueDateDateTime'),
			'DueDateDateTime',
		),
		type: typeCode === '381' ? 'AVOIR' : 'FACTURE',
		currency,
		supplier: { siret: ciiSiret(seller), name: textAt(seller, 'Name') },
		recipient: { siret: ciiSiret(buyer), name: textAt(buyer, 'Name') },
		serviceCode: textAt(agreement, 'BuyerReference'),
		ej: textAt(agreement, 'BuyerOrderReferencedDocument', 'IssuerAssignedID'),
		contractNumber: textAt(agreement, 'ContractReferencedDocument', 'IssuerAssignedID'),
		precedingInvoice: textAt(settlement, 'InvoiceReferencedDocument', 'IssuerAssignedID'),
		amountHT,
		amountVAT: taxNode
			? decimal(taxNode.text, 'TaxTotalAmount', taxNode)
			: Math.round((amountTTC - amountHT) * 100) / 100,
		amountTTC,
		amountDue:
			textAt(sum, 'DuePayableAmount') != null ? amount(sum, 'DuePayableAmount') : amountTTC,
		lines: childrenNamed(tx, 'IncludedSupplyChainTradeLineItem').map(ciiLine),
		taxes: childrenNamed(settlement, 'ApplicableTradeTax').map((t) => ({
			base: amount(t, 'BasisAmount'),
			amount: amount(t, 'CalculatedAmount'),
			rate: rate(textAt(t, 'RateApplicablePercent')),
		})),
		elementPaths: { ...CII_PATHS },
	};
}

/**
 * SIRET of a CII party: SpecifiedLegalOrganization/ID, else a GlobalID / ID (scheme 0002 or 0009 first).
 * @param {XmlNode} party
 */
function ciiSiret(party) {
	const legal = at(party, 'SpecifiedLegalOrganization', 'ID');
	if (legal && legal.text) return legal.text;
	const ids = childrenNamed(party, 'GlobalID')
		.concat(childrenNamed(party, 'ID'))
		.filter((n) => n.text);
	return (
		(ids.find((n) => n.attrs.schemeID === '0002' || n.attrs.schemeID === '0009') ?? ids[0])?.text ??
		null
	);
}

/** One IncludedSupplyChainTradeLineItem. @param {XmlNode} l @param {number} i @returns {ParsedInvoice['lines'][number]} */
function ciiLine(l, i) {
	const quantity = at(l, 'SpecifiedLineTradeDelivery', 'BilledQuantity');
	const vatRate = textAt(
		l,
		'SpecifiedLineTradeSettlement',
		'ApplicableTradeTax',
		'RateApplicablePercent',
	);
	return {
		number: Number(textAt(l, 'AssociatedDocumentLineDocument', 'LineID')) || i + 1,
		reference: textAt(l, 'SpecifiedTradeProduct', 'SellerAssignedID'),
		description: textAt(l, 'SpecifiedTradeProduct', 'Name') ?? '',
		quantity: decimal(quantity?.text ?? '1', 'BilledQuantity', quantity),
		unit: quantity?.attrs.unitCode ?? null,
		unitPrice: decimal(
			textAt(l, 'SpecifiedLineTradeAgreement', 'NetPriceProductTradePrice', 'ChargeAmount'),
			'ChargeAmount',
			l,
		),
		amountHT: decimal(
			textAt(
				l,
				'SpecifiedLineTradeSettlement',
				'SpecifiedTradeSettlementLineMonetarySummation',
				'LineTotalAmount',
			),
			'LineTotalAmount',
			l,
		),
		vatRate: rate(vatRate),
	};
}
