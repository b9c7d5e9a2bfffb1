/** Readers of UBL and CII invoices into the business terms of terms.ts. */
import type { XmlElement } from '../xml';
import type { InvoiceTerms, PartyTerms, PartyTermNames } from './terms';
import {
	all,
	BUYER,
	datesOf,
	inCurrency,
	profileOf,
	SELLER,
	termAt,
	termOf,
	termsAt,
} from './terms';
import { pathOf } from './xpath';

function ublParty(party: XmlElement | undefined, base: string, names: PartyTermNames): PartyTerms {
	const [name, id, legal, vat, address] = names;
	const legalName = termAt(party, base, 'cac:PartyLegalEntity/cbc:RegistrationName', name);
	const tradingName = termAt(party, base, 'cac:PartyName/cbc:Name', name);
	return {
		path: party ? pathOf(party) : base,
		name: legalName.value ? legalName : tradingName.value ? tradingName : legalName,
		ids: [
			...termsAt(party, 'cac:PartyIdentification/cbc:ID', id),
			...termsAt(party, 'cac:PartyLegalEntity/cbc:CompanyID', legal),
			...termsAt(party, 'cac:PartyTaxScheme/cbc:CompanyID', vat),
			...termsAt(party, 'cbc:EndpointID', address),
		].filter((id) => id.value),
	};
}

function ciiParty(party: XmlElement | undefined, base: string, names: PartyTermNames): PartyTerms {
	const [name, id, legal, vat, address] = names;
	return {
		path: party ? pathOf(party) : base,
		name: termAt(party, base, 'ram:Name', name),
		ids: [
			...termsAt(party, 'ram:ID', id),
			...termsAt(party, 'ram:GlobalID', id),
			...termsAt(party, 'ram:SpecifiedLegalOrganization/ram:ID', legal),
			...termsAt(party, 'ram:SpecifiedTaxRegistration/ram:ID', vat),
			...termsAt(party, 'ram:URIUniversalCommunication/ram:URIID', address),
		].filter((id) => id.value),
	};
}

export function readUbl(root: XmlElement): InvoiceTerms {
	const base = pathOf(root);
	const at = (path: string, term: string) => termAt(root, base, path, term);
	const credit = root.local === 'CreditNote';
	const specification = at('cbc:CustomizationID', 'BT-24');
	const currency = at('cbc:DocumentCurrencyCode', 'BT-5');
	const taxTotal = inCurrency(
		all(root, 'cac:TaxTotal'),
		currency.value,
		(total) => all(total, 'cbc:TaxAmount')[0],
	);
	const sums = all(root, 'cac:LegalMonetaryTotal')[0];
	const sum = (path: string, term: string) =>
		termAt(sums, `${base}/cac:LegalMonetaryTotal`, path, term);
	const lineTag = credit ? 'CreditNoteLine' : 'InvoiceLine';
	return {
		syntax: 'UBL',
		profile: profileOf('UBL', specification.value),
		withLines: true,
		withBreakdown: true,
		specification,
		process: at('cbc:ProfileID', 'BT-23'),
		number: at('cbc:ID', 'BT-1'),
		issueDate: at('cbc:IssueDate', 'BT-2'),
		typeCode: at(credit ? 'cbc:CreditNoteTypeCode' : 'cbc:InvoiceTypeCode', 'BT-3'),
		currency,
		buyerReference: at('cbc:BuyerReference', 'BT-10'),
		orderReference: at('cac:OrderReference/cbc:ID', 'BT-13'),
		seller: ublParty(
			all(root, 'cac:AccountingSupplierParty/cac:Party')[0],
			`${base}/cac:AccountingSupplierParty/cac:Party`,
			SELLER,
		),
		buyer: ublParty(
			all(root, 'cac:AccountingCustomerParty/cac:Party')[0],
			`${base}/cac:AccountingCustomerParty/cac:Party`,
			BUYER,
		),
		totals: {
			'BT-106': sum('cbc:LineExtensionAmount', 'BT-106'),
			'BT-107': sum('cbc:AllowanceTotalAmount', 'BT-107'),
			'BT-108': sum('cbc:ChargeTotalAmount', 'BT-108'),
			'BT-109': sum('cbc:TaxExclusiveAmount', 'BT-109'),
			'BT-110': termAt(taxTotal, `${base}/cac:TaxTotal`, 'cbc:TaxAmount', 'BT-110'),
			'BT-112': sum('cbc:TaxInclusiveAmount', 'BT-112'),
			'BT-113': sum('cbc:PrepaidAmount', 'BT-113'),
			'BT-114': sum('cbc:PayableRoundingAmount', 'BT-114'),
			'BT-115': sum('cbc:PayableAmount', 'BT-115'),
		},
		vat: all(taxTotal, 'cac:TaxSubtotal').map((subtotal) => ({
			path: pathOf(subtotal),
			base: termAt(subtotal, '', 'cbc:TaxableAmount', 'BT-116'),
			tax: termAt(subtotal, '', 'cbc:TaxAmount', 'BT-117'),
			category: termAt(subtotal, '', 'cac:TaxCategory/cbc:ID', 'BT-118'),
			rate: termAt(subtotal, '', 'cac:TaxCategory/cbc:Percent', 'BT-119'),
		})),
		lines: all(root, `cac:${lineTag}`).map((line) => ({
			path: pathOf(line),
			id: termAt(line, '', 'cbc:ID', 'BT-126'),
			quantity: termAt(
				line,
				'',
				credit ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity',
				'BT-129',
			),
			net: termAt(line, '', 'cbc:LineExtensionAmount', 'BT-131'),
			name: termAt(line, '', 'cac:Item/cbc:Name', 'BT-153'),
			counted: true,
		})),
		dates: datesOf(root, 'UBL'),
		where: { vat: `${base}/cac:TaxTotal/cac:TaxSubtotal`, lines: `${base}/cac:${lineTag}` },
	};
}

export function readCii(root: XmlElement): InvoiceTerms {
	const base = pathOf(root);
	const at = (path: string, term: string) => termAt(root, base, path, term);
	const specification = at(
		'rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID',
		'BT-24',
	);
	const profile = profileOf('CII', specification.value);
	const trade = 'rsm:SupplyChainTradeTransaction';
	const agreement = `${trade}/ram:ApplicableHeaderTradeAgreement`;
	const settlement = `${trade}/ram:ApplicableHeaderTradeSettlement`;
	const currency = at(`${settlement}/ram:InvoiceCurrencyCode`, 'BT-5');
	const sumsPath = `${settlement}/ram:SpecifiedTradeSettlementHeaderMonetarySummation`;
	const sums = all(root, sumsPath)[0];
	const sum = (local: string, term: string) =>
		termAt(sums, `${base}/${sumsPath}`, `ram:${local}`, term);
	const taxTotal = inCurrency(all(sums, 'ram:TaxTotalAmount'), currency.value);
	return {
		syntax: 'CII',
		profile,
		withLines: profile !== 'MINIMUM' && profile !== 'BASIC WL',
		withBreakdown: profile !== 'MINIMUM',
		specification,
		process: at(
			'rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID',
			'BT-23',
		),
		number: at('rsm:ExchangedDocument/ram:ID', 'BT-1'),
		issueDate: at('rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString', 'BT-2'),
		typeCode: at('rsm:ExchangedDocument/ram:TypeCode', 'BT-3'),
		currency,
		buyerReference: at(`${agreement}/ram:BuyerReference`, 'BT-10'),
		orderReference: at(
			`${agreement}/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID`,
			'BT-13',
		),
		seller: ciiParty(
			all(root, `${agreement}/ram:SellerTradeParty`)[0],
			`${base}/${agreement}/ram:SellerTradeParty`,
			SELLER,
		),
		buyer: ciiParty(
			all(root, `${agreement}/ram:BuyerTradeParty`)[0],
			`${base}/${agreement}/ram:BuyerTradeParty`,
			BUYER,
		),
		totals: {
			'BT-106': sum('LineTotalAmount', 'BT-106'),
			'BT-107': sum('AllowanceTotalAmount', 'BT-107'),
			'BT-108': sum('ChargeTotalAmount', 'BT-108'),
			'BT-109': sum('TaxBasisTotalAmount', 'BT-109'),
			'BT-110': taxTotal ? termOf(taxTotal, 'BT-110') : sum('TaxTotalAmount', 'BT-110'),
			'BT-112': sum('GrandTotalAmount', 'BT-112'),
			'BT-113': sum('TotalPrepaidAmount', 'BT-113'),
			'BT-114': sum('RoundingAmount', 'BT-114'),
			'BT-115': sum('DuePayableAmount', 'BT-115'),
		},
		vat: all(root, `${settlement}/ram:ApplicableTradeTax`).map((tax) => ({
			path: pathOf(tax),
			base: termAt(tax, '', 'ram:BasisAmount', 'BT-116'),
			tax: termAt(tax, '', 'ram:CalculatedAmount', 'BT-117'),
			category: termAt(tax, '', 'ram:CategoryCode', 'BT-118'),
			rate: termAt(tax, '', 'ram:RateApplicablePercent', 'BT-119'),
		})),
		lines: all(root, `${trade}/ram:IncludedSupplyChainTradeLineItem`).map((line) => {
			const document = all(line, 'ram:AssociatedDocumentLineDocument')[0];
			// Factur-X EXTENDED: sub-lines are summed in their group line; information lines count not.
			const status = all(document, 'ram:LineStatusReasonCode')[0]?.text.trim();
			return {
				path: pathOf(line),
				id: termAt(
					document,
					`${pathOf(line)}/ram:AssociatedDocumentLineDocument`,
					'ram:LineID',
					'BT-126',
				),
				quantity: termAt(line, '', 'ram:SpecifiedLineTradeDelivery/ram:BilledQuantity', 'BT-129'),
				net: termAt(
					line,
					'',
					'ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount',
					'BT-131',
				),
				name: termAt(line, '', 'ram:SpecifiedTradeProduct/ram:Name', 'BT-153'),
				counted: !all(document, 'ram:ParentLineID').length && status !== 'INFORMATION',
			};
		}),
		dates: datesOf(root, 'CII'),
		where: {
			vat: `${base}/${settlement}/ram:ApplicableTradeTax`,
			lines: `${base}/${trade}/ram:IncludedSupplyChainTradeLineItem`,
		},
	};
}
