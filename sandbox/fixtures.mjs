// @ts-check
/**
 * Generators of valid test documents for the Chorus Pro sandbox and for the package's tests and demo:
 * UBL 2.1 and UN/CEFACT CII D16B invoices (EN 16931 style), a Factur-X PDF (PDF with the CII embedded as
 * `factur-x.xml`), a plain PDF, and zip / tar.gz batches (fixtureArchives.mjs, re-exported here). Node built-ins
 * only.
 *
 * The default parties are the sandbox "matelas": supplier SIRET 73442027438548 and the public recipient
 * 00000000012887 (which requires neither a service code nor an EJ).
 *
 * @example
 * import { makeUblXml, makeFacturXPdf, makeTarGz } from './fixtures.mjs';
 * const xml = makeUblXml({ number: 'FAC-001', amountHT: 100 });
 * const pdf = makeFacturXPdf({ number: 'FAC-002', recipientSiret: '12345678200028', serviceCode: 'FACTURES_PUBLIQUES' });
 * const batch = makeTarGz([{ name: 'a.xml', data: xml }, { name: 'b.xml', data: makeUblXml({ number: 'FAC-003' }) }]);
 * // base64 of any of them goes into deposer/flux `fichierFlux`
 */
import { deflateSync } from 'node:zlib';
import { createHash, randomBytes } from 'node:crypto';

export { crc32, makeZip, makeTarGz } from './fixtureArchives.mjs';

/** Default supplier SIRET (sandbox structure 26300989, "Fournisseur"). */
export const DEFAULT_SUPPLIER_SIRET = '73442027438548';
/** Default recipient SIRET (sandbox structure 25783752, no service code or EJ required). */
export const DEFAULT_RECIPIENT_SIRET = '00000000012887';

/**
 * @typedef {object} InvoiceLine
 * @property {string} [description] item name (default "Prestation")
 * @property {number} [quantity] default 1
 * @property {number} [unitPrice] net unit price (default: the invoice net amount)
 * @property {number} [vatRate] percent (default: the invoice vatRate)
 * @property {string} [unitCode] UN/ECE rec 20 unit (default "C62")
 */

/**
 * Options shared by every invoice generator. Every field is optional.
 * Amounts: `amountHT` (net total) defaults to the sum of the lines or 1000; `amountVAT` to amountHT × vatRate / 100;
 * `amountTTC` to amountHT + amountVAT; `amountDue` to amountTTC. Override amountVAT/amountTTC to build inconsistent documents.
 * @typedef {object} InvoiceOptions
 * @property {string} [number] invoice number (≤ 20 chars; default a unique `SBX-…` value)
 * @property {string} [date] issue date `YYYY-MM-DD` (default today in Europe/Paris)
 * @property {string} [dueDate] payment due date `YYYY-MM-DD` (default date + 30 days; omitted for credit notes in UBL)
 * @property {string} [supplierSiret] seller SIRET (default 73442027438548)
 * @property {string} [supplierName] default "Fournisseur"
 * @property {string} [recipientSiret] buyer SIRET (default 00000000012887)
 * @property {string} [recipientName] default "Destinataire"
 * @property {string} [serviceCode] recipient service code (UBL cbc:BuyerReference / CII ram:BuyerReference)
 * @property {string} [ej] engagement juridique / purchase order number (UBL cac:OrderReference, CII BuyerOrderReferencedDocument)
 * @property {string} [contractNumber] numéro de marché (UBL ContractDocumentReference, CII ContractReferencedDocument)
 * @property {number} [amountHT] net total
 * @property {number} [vatRate] VAT percent (default 20)
 * @property {number} [amountVAT] VAT total
 * @property {number} [amountTTC] total with VAT
 * @property {number} [amountDue] amount to pay
 * @property {string} [currency] ISO 4217 (default "EUR")
 * @property {boolean} [creditNote] true for a credit note (UBL CreditNote, CII TypeCode 381)
 * @property {string} [precedingInvoice] number of the invoice a credit note corrects
 * @property {InvoiceLine[]} [lines] default: one line "Prestation" for the net amount
 */

let counter = 0;

/** @param {number} n */
const money = (n) => (Math.round(n * 100) / 100).toFixed(2);
/** @param {number} n */
const round2 = (n) => Math.round(n * 100) / 100;

/** @param {unknown} s */
function esc(s) {
	return String(s)
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;');
}

/** Today's date `YYYY-MM-DD` in Europe/Paris (the platform's calendar), UTC without time zone data. */
function todayInParis() {
	try {
		return new Intl.DateTimeFormat('en-CA', {
			timeZone: 'Europe/Paris',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
		}).format(new Date());
	} catch {
		return new Date().toISOString().slice(0, 10);
	}
}

/**
 * Fills the defaults of an {@link InvoiceOptions} object (amounts computed and rounded to cents).
 * @param {InvoiceOptions} [opts]
 */
export function normalizeInvoiceOptions(opts = {}) {
	const vatRate = opts.vatRate ?? 20;
	const date = opts.date ?? todayInParis();
	const rawLines = opts.lines && opts.lines.length ? opts.lines : null;
	const netGiven = opts.amountHT;
	const lines = (
		rawLines ?? [{ description: 'Prestation', quantity: 1, unitPrice: netGiven ?? 1000 }]
	).map((l, i) => {
		const quantity = l.quantity ?? 1;
		const unitPrice = l.unitPrice ?? netGiven ?? 1000;
		return {
			id: String(i + 1),
			description: l.description ?? 'Prestation',
			quantity,
			unitPrice,
			unitCode: l.unitCode ?? 'C62',
			vatRate: l.vatRate ?? vatRate,
			net: round2(quantity * unitPrice),
		};
	});
	const amountHT = round2(netGiven ?? lines.reduce((s, l) => s + l.net, 0));
	// VAT breakdown per rate, from the lines
	/** @type {Map<number, number>} */
	const byRate = new Map();
	for (const l of lines) byRate.set(l.vatRate, round2((byRate.get(l.vatRate) ?? 0) + l.net));
	const taxes = [...byRate].map(([rate, base]) => ({
		rate,
		base,
		amount: round2((base * rate) / 100),
	}));
	const amountVAT = round2(opts.amountVAT ?? taxes.reduce((s, t) => s + t.amount, 0));
	const amountTTC = round2(opts.amountTTC ?? amountHT + amountVAT);
	const due = new Date(`${date}T00:00:00Z`);
	due.setUTCDate(due.getUTCDate() + 30);
	return {
		number: opts.number ?? `SBX-${Date.now().toString(36).slice(-6)}-${++counter}`,
		date,
		dueDate: opts.dueDate ?? due.toISOString().slice(0, 10),
		supplierSiret: opts.supplierSiret ?? DEFAULT_SUPPLIER_SIRET,
		supplierName: opts.supplierName ?? 'Fournisseur',
		recipientSiret: opts.recipientSiret ?? DEFAULT_RECIPIENT_SIRET,
		recipientName: opts.recipientName ?? 'Destinataire',
		serviceCode: opts.serviceCode ?? null,
		ej: opts.ej ?? null,
		contractNumber: opts.contractNumber ?? null,
		currency: opts.currency ?? 'EUR',
		creditNote: !!opts.creditNote,
		precedingInvoice: opts.precedingInvoice ?? null,
		vatRate,
		lines,
		taxes,
		amountHT,
		amountVAT,
		amountTTC,
		amountDue: round2(opts.amountDue ?? amountTTC),
	};
}

/**
 * A UN/CEFACT Cross Industry Invoice (D16B, EN 16931 profile) as used by `IN_DP_E1_CII_16B` and inside Factur-X.
 * SIRETs go in `SpecifiedLegalOrganization/ID schemeID="0002"`, the service code in `BuyerReference`,
 * the EJ in `BuyerOrderReferencedDocument/IssuerAssignedID`.
 * @param {InvoiceOptions} [opts]
 * @returns {string} the XML text (UTF-8)
 */
export function makeCiiXml(opts) {
	const o = normalizeInvoiceOptions(opts);
	const ymd = (/** @type {string} */ d) => d.replace(/-/g, '');
	const cur = esc(o.currency);
	const lines = o.lines
		.map(
			(l) => `    <ram:IncludedSupplyChainTradeLineItem>
      <ram:AssociatedDocumentLineDocument><ram:LineID>${l.id}</ram:LineID></ram:AssociatedDocumentLineDocument>
      <ram:SpecifiedTradeProduct><ram:Name>${esc(l.description)}</ram:Name></ram:SpecifiedTradeProduct>
      <ram:SpecifiedLineTradeAgreement>
        <ram:NetPriceProductTradePrice><ram:ChargeAmount>${money(l.unitPrice)}</ram:ChargeAmount></ram:NetPriceProductTradePrice>
      </ram:SpecifiedLineTradeAgreement>
      <ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="${esc(l.unitCode)}">${l.quantity}</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>
      <ram:SpecifiedLineTradeSettlement>
        <ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>${l.vatRate ? 'S' : 'Z'}</ram:CategoryCode><ram:RateApplicablePercent>${money(l.vatRate)}</ram:RateApplicablePercent></ram:ApplicableTradeTax>
        <ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>${money(l.net)}</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation>
      </ram:SpecifiedLineTradeSettlement>
    </ram:IncludedSupplyChainTradeLineItem>\n`,
		)
		.join('');
	const taxes = o.taxes
		.map(
			(t) => `      <ram:ApplicableTradeTax>
        <ram:CalculatedAmount>${money(t.amount)}</ram:CalculatedAmount>
        <ram:TypeCode>VAT</ram:TypeCode>
        <ram:BasisAmount>${money(t.base)}</ram:BasisAmount>
        <ram:CategoryCode>${t.rate ? 'S' : 'Z'}</ram:CategoryCode>
        <ram:RateApplicablePercent>${money(t.rate)}</ram:RateApplicablePercent>
      </ram:ApplicableTradeTax>\n`,
		)
		.join('');
	/** @param {string} siret @param {string} name */
	const party = (siret, name) => `<ram:Name>${esc(name)}</ram:Name>
        <ram:SpecifiedLegalOrganization><ram:ID schemeID="0002">${esc(siret)}</ram:ID></ram:SpecifiedLegalOrganization>
        <ram:PostalTradeAddress><ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress>`;
	return `<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100" xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocumentContext>
    <ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:cen.eu:en16931:2017</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument>
    <ram:ID>${esc(o.number)}</ram:ID>
    <ram:TypeCode>${o.creditNote ? '381' : '380'}</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">${ymd(o.date)}</udt:DateTimeString></ram:IssueDateTime>
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>
${lines}    <ram:ApplicableHeaderTradeAgreement>
${o.serviceCode ? `      <ram:BuyerReference>${esc(o.serviceCode)}</ram:BuyerReference>\n` : ''}      <ram:SellerTradeParty>
        ${party(o.supplierSiret, o.supplierName)}
      </ram:SellerTradeParty>
      <ram:BuyerTradeParty>
        ${party(o.recipientSiret, o.recipientName)}
      </ram:BuyerTradeParty>
${o.ej ? `      <ram:BuyerOrderReferencedDocument><ram:IssuerAssignedID>${esc(o.ej)}</ram:IssuerAssignedID></ram:BuyerOrderReferencedDocument>\n` : ''}${o.contractNumber ? `      <ram:ContractReferencedDocument><ram:IssuerAssignedID>${esc(o.contractNumber)}</ram:IssuerAssignedID></ram:ContractReferencedDocument>\n` : ''}    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeDelivery/>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:InvoiceCurrencyCode>${cur}</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>30</ram:TypeCode></ram:SpecifiedTradeSettlementPaymentMeans>
${taxes}      <ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime><udt:DateTimeString format="102">${ymd(o.dueDate)}</udt:DateTimeString></ram:DueDateDateTime></ram:SpecifiedTradePaymentTerms>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:LineTotalAmount>${money(o.lines.reduce((s, l) => s + l.net, 0))}</ram:LineTotalAmount>
        <ram:TaxBasisTotalAmount>${money(o.amountHT)}</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="${cur}">${money(o.amountVAT)}</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>${money(o.amountTTC)}</ram:GrandTotalAmount>
        <ram:DuePayableAmount>${money(o.amountDue)}</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
${o.precedingInvoice ? `      <ram:InvoiceReferencedDocument><ram:IssuerAssignedID>${esc(o.precedingInvoice)}</ram:IssuerAssignedID></ram:InvoiceReferencedDocument>\n` : ''}    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
`;
}

/**
 * A UBL 2.1 Invoice (or CreditNote when `creditNote`) as used by `IN_DP_E1_UBL_INVOICE`.
 * SIRETs go in `cac:PartyIdentification/cbc:ID schemeID="0009"` and `cac:PartyLegalEntity/cbc:CompanyID`,
 * the service code in `cbc:BuyerReference`, the EJ in `cac:OrderReference/cbc:ID`.
 * @param {InvoiceOptions} [opts]
 * @returns {string} the XML text (UTF-8)
 */
export function makeUblXml(opts) {
	const o = normalizeInvoiceOptions(opts);
	const root = o.creditNote ? 'CreditNote' : 'Invoice';
	const cur = esc(o.currency);
	const amt = (/** @type {number} */ n) => `currencyID="${cur}">${money(n)}`;
	/** @param {string} siret @param {string} name */
	const party = (siret, name) => `<cac:Party>
      <cac:PartyIdentification><cbc:ID schemeID="0009">${esc(siret)}</cbc:ID></cac:PartyIdentification>
      <cac:PartyName><cbc:Name>${esc(name)}</cbc:Name></cac:PartyName>
      <cac:PostalAddress><cac:Country><cbc:IdentificationCode>FR</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
      <cac:PartyLegalEntity><cbc:RegistrationName>${esc(name)}</cbc:RegistrationName><cbc:CompanyID schemeID="0009">${esc(siret)}</cbc:CompanyID></cac:PartyLegalEntity>
    </cac:Party>`;
	const taxCat = (/** @type {number} */ rate) =>
		`<cbc:ID>${rate ? 'S' : 'Z'}</cbc:ID><cbc:Percent>${money(rate)}</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>`;
	const lineTag = o.creditNote ? 'CreditNoteLine' : 'InvoiceLine';
	const qtyTag = o.creditNote ? 'CreditedQuantity' : 'InvoicedQuantity';
	const lines = o.lines
		.map(
			(l) => `  <cac:${lineTag}>
    <cbc:ID>${l.id}</cbc:ID>
    <cbc:${qtyTag} unitCode="${esc(l.unitCode)}">${l.quantity}</cbc:${qtyTag}>
    <cbc:LineExtensionAmount ${amt(l.net)}</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>${esc(l.description)}</cbc:Name><cac:ClassifiedTaxCategory>${taxCat(l.vatRate)}</cac:ClassifiedTaxCategory></cac:Item>
    <cac:Price><cbc:PriceAmount ${amt(l.unitPrice)}</cbc:PriceAmount></cac:Price>
  </cac:${lineTag}>\n`,
		)
		.join('');
	const subtotals = o.taxes
		.map(
			(t) =>
				`    <cac:TaxSubtotal><cbc:TaxableAmount ${amt(t.base)}</cbc:TaxableAmount><cbc:TaxAmount ${amt(t.amount)}</cbc:TaxAmount><cac:TaxCategory>${taxCat(t.rate)}</cac:TaxCategory></cac:TaxSubtotal>\n`,
		)
		.join('');
	return `<?xml version="1.0" encoding="UTF-8"?>
<${root} xmlns="urn:oasis:names:specification:ubl:schema:xsd:${root}-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID>
  <cbc:ID>${esc(o.number)}</cbc:ID>
  <cbc:IssueDate>${o.date}</cbc:IssueDate>
${o.creditNote ? '' : `  <cbc:DueDate>${o.dueDate}</cbc:DueDate>\n`}  <cbc:${root}TypeCode>${o.creditNote ? '381' : '380'}</cbc:${root}TypeCode>
  <cbc:DocumentCurrencyCode>${cur}</cbc:DocumentCurrencyCode>
${o.serviceCode ? `  <cbc:BuyerReference>${esc(o.serviceCode)}</cbc:BuyerReference>\n` : ''}${o.ej ? `  <cac:OrderReference><cbc:ID>${esc(o.ej)}</cbc:ID></cac:OrderReference>\n` : ''}${o.precedingInvoice ? `  <cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>${esc(o.precedingInvoice)}</cbc:ID></cac:InvoiceDocumentReference></cac:BillingReference>\n` : ''}${o.contractNumber ? `  <cac:ContractDocumentReference><cbc:ID>${esc(o.contractNumber)}</cbc:ID></cac:ContractDocumentReference>\n` : ''}  <cac:AccountingSupplierParty>
    ${party(o.supplierSiret, o.supplierName)}
  </cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty>
    ${party(o.recipientSiret, o.recipientName)}
  </cac:AccountingCustomerParty>
  <cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode></cac:PaymentMeans>
  <cac:TaxTotal>
    <cbc:TaxAmount ${amt(o.amountVAT)}</cbc:TaxAmount>
${subtotals}  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount ${amt(o.lines.reduce((s, l) => s + l.net, 0))}</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount ${amt(o.amountHT)}</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount ${amt(o.amountTTC)}</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount ${amt(o.amountDue)}</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
${lines}</${root}>
`;
}

// ---------------------------------------------------------------------------------------------------------------
// PDF

/**
 * Encodes text for a PDF literal string in a WinAnsi (Latin-1) font: escapes `\ ( )`, replaces characters
 * outside Latin-1 by `?`.
 * @param {string} s
 */
function pdfString(s) {
	return '(' + s.replace(/[^\x20-\x7e\xa0-\xff]/g, '?').replace(/([\\()])/g, '\\$1') + ')';
}

/** @param {Date} d */
function pdfDate(d) {
	return 'D:' + d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
}

/**
 * Assembles a PDF file from object bodies (object i+1 = objects[i]) with a correct xref table.
 * Catalog must be object 1.
 * @param {(string|Buffer)[]} objects
 */
function buildPdf(objects) {
	/** @type {Buffer[]} */
	const parts = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
	let offset = parts[0].length;
	/** @type {number[]} */
	const offsets = [];
	objects.forEach((body, i) => {
		offsets.push(offset);
		const chunk = Buffer.concat([
			Buffer.from(`${i + 1} 0 obj\n`, 'latin1'),
			typeof body === 'string' ? Buffer.from(body, 'latin1') : body,
			Buffer.from('\nendobj\n', 'latin1'),
		]);
		parts.push(chunk);
		offset += chunk.length;
	});
	const id = randomBytes(16).toString('hex');
	const xref =
		`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n` +
		offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('') +
		`trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${objects.length} 0 R /ID [<${id}> <${id}>] >>\nstartxref\n${offset}\n%%EOF\n`;
	parts.push(Buffer.from(xref, 'latin1'));
	return Buffer.concat(parts);
}

/**
 * A stream object body: dictionary entries + raw bytes.
 * @param {string} dict entries without `<< >>` and without /Length
 * @param {Buffer} data
 */
function streamObject(dict, data) {
	return Buffer.concat([
		Buffer.from(`<< ${dict} /Length ${data.length} >>\nstream\n`, 'latin1'),
		data,
		Buffer.from('\nendstream', 'latin1'),
	]);
}

/**
 * Content stream drawing the given lines of text with Helvetica 11pt from the top of an A4 page.
 * @param {string[]} lines
 */
function textContent(lines) {
	const body = lines
		.slice(0, 60)
		.map((l, i) => (i === 0 ? `${pdfString(l)} Tj` : `T* ${pdfString(l)} Tj`));
	return Buffer.from(`BT\n/F1 11 Tf\n14 TL\n50 790 Td\n${body.join('\n')}\nET`, 'latin1');
}

/**
 * A real minimal one-page PDF (A4, Helvetica, uncompressed content stream) showing `text`
 * (one line per `\n`, at most 60 lines, Latin-1 characters). Readable by any PDF viewer and by the sandbox's
 * deposer/pdf "OCR" (which looks for markers such as `Facture N° X`, `Date : YYYY-MM-DD`, `Total HT : 100.00`).
 * @param {string} [text]
 * @returns {Buffer}
 */
export function makePdf(text = 'Document') {
	const lines = String(text).split(/\r?\n/);
	return buildPdf([
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
		streamObject('', textContent(lines)),
		`<< /Producer (chorus-pro sandbox) /CreationDate (${pdfDate(new Date())}) >>`,
	]);
}

/**
 * The human-readable text of an invoice, with the markers the sandbox's deposer/pdf OCR recognises.
 * @param {InvoiceOptions} [opts]
 * @returns {string}
 */
export function invoiceText(opts) {
	const o = normalizeInvoiceOptions(opts);
	return [
		`${o.creditNote ? 'Avoir' : 'Facture'} N\xb0 ${o.number}`,
		`Date : ${o.date}`,
		`Fournisseur : ${o.supplierName} - SIRET fournisseur : ${o.supplierSiret}`,
		`Destinataire : ${o.recipientName} - SIRET destinataire : ${o.recipientSiret}`,
		...(o.serviceCode ? [`Code service : ${o.serviceCode}`] : []),
		...(o.ej ? [`Engagement juridique : ${o.ej}`] : []),
		'',
		...o.lines.map(
			(l) =>
				`${l.id}. ${l.description} - ${l.quantity} x ${money(l.unitPrice)} = ${money(l.net)} (TVA ${l.vatRate} %)`,
		),
		'',
		`Total HT : ${money(o.amountHT)}`,
		`Total TVA : ${money(o.amountVAT)}`,
		`Total TTC : ${money(o.amountTTC)}`,
		`Net a payer : ${money(o.amountDue)}`,
		`Devise : ${o.currency}`,
	].join('\n');
}

/**
 * A plain PDF rendering of an invoice (no embedded XML) — what one deposits with deposer/pdf.
 * @param {InvoiceOptions} [opts]
 * @returns {Buffer}
 */
export function makeInvoicePdf(opts) {
	return makePdf(invoiceText(opts));
}

/**
 * A Factur-X (EN 16931 profile) PDF: a one-page PDF showing the invoice, with the CII XML of
 * {@link makeCiiXml} embedded as a FlateDecode-compressed embedded file named `factur-x.xml`
 * (Filespec in the catalog's `/Names /EmbeddedFiles` and `/AF` with `/AFRelationship /Data`, XMP metadata
 * declaring the Factur-X conformance level). Structurally what `IN_DP_E2_CII_FACTURX` expects; not a validated
 * PDF/A-3 (fonts are not embedded, no output intent).
 * @param {InvoiceOptions & { xml?: string }} [opts] `xml` replaces the generated CII (to embed any content)
 * @returns {Buffer}
 */
export function makeFacturXPdf(opts = {}) {
	const xml = Buffer.from(opts.xml ?? makeCiiXml(opts), 'utf8');
	const packed = deflateSync(xml);
	const now = new Date();
	const md5 = createHash('md5').update(xml).digest('hex');
	const xmp = Buffer.from(
		`<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"><pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description>
<rdf:Description rdf:about="" xmlns:fx="urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"><fx:DocumentType>INVOICE</fx:DocumentType><fx:DocumentFileName>factur-x.xml</fx:DocumentFileName><fx:Version>1.0</fx:Version><fx:ConformanceLevel>EN 16931</fx:ConformanceLevel></rdf:Description>
</rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>`,
		'utf8',
	);
	return buildPdf([
		'<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(factur-x.xml) 6 0 R] >> >> /AF [6 0 R] /Metadata 8 0 R /PageMode /UseAttachments >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
		streamObject('', textContent(invoiceText(opts).split('\n'))),
		'<< /Type /Filespec /F (factur-x.xml) /UF (factur-x.xml) /Desc (Factur-X invoice) /AFRelationship /Data /EF << /F 7 0 R /UF 7 0 R >> >>',
		streamObject(
			`/Type /EmbeddedFile /Subtype /text#2Fxml /Filter /FlateDecode /Params << /Size ${xml.length} /ModDate (${pdfDate(now)}) /CheckSum <${md5}> >>`,
			packed,
		),
		streamObject('/Type /Metadata /Subtype /XML', xmp),
		`<< /Producer (chorus-pro sandbox) /CreationDate (${pdfDate(now)}) >>`,
	]);
}

/**
 * `pdf` grown to exactly `bytes` bytes: comment lines are inserted before `startxref`, after every
 * object and the cross-reference table, so no offset moves and the file stays a readable PDF.
 * Large files for memory and size checks. A PDF already that large is returned as it is.
 * @param {Buffer} pdf
 * @param {number} bytes
 * @returns {Buffer}
 */
export function padPdf(pdf, bytes) {
	const at = pdf.lastIndexOf('startxref');
	const missing = bytes - pdf.length;
	if (at < 0 || missing < 4) return pdf;
	const line = `%${'0123456789abcdef'.repeat(8)}\n`; // 130 bytes
	const lines = Math.floor((missing - 2) / line.length);
	const rest = missing - lines * line.length;
	const padding = Buffer.from(`${line.repeat(lines)}%${'x'.repeat(rest - 2)}\n`, 'latin1');
	return Buffer.concat([pdf.subarray(0, at), padding, pdf.subarray(at)]);
}
