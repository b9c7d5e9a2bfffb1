/**
 * The checks of rules-chorus.ts: what Chorus Pro would refuse the invoice for, read before sending
 * (docs/chorus-pro-api.md §3.3). Read-only calls, each made once per run and shared by the items
 * (the cache keys are those of shared/recipients.ts, so Submit and Deposit share them too).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { chorusRequestAll } from '../../transport/paginate';
import { chorusRequest } from '../../transport/request';
import { SERVICES } from '../../transport/services';
import type { ExecutionCache } from '../cache';
import { cached } from '../cache';
import { invoiceSearchCriteria } from '../invoiceSearch';
import {
	findStructuresBySiret,
	requirementsOf,
	serviceDetails,
	siretOf,
	structureDetails,
	structureServices,
} from '../structures';
import type { Hit } from './checks';
import type { ChorusRuleId } from './rules-chorus';
import type { InvoiceTerms, PartyTerms, Term } from './terms';
import { LEGAL_ID } from './terms';

type ChorusHits = Array<{ rule: ChorusRuleId; hits: Hit[] }>;

/** The SIRET a party is identified by: schemeID 0009, 0002 or none, with 14 digits. */
function siretOfParty(party: PartyTerms): Term | undefined {
	const identifiers = party.ids.filter((id) => !['BT-31', 'BT-48'].includes(id.term));
	for (const scheme of ['0009', '0002', undefined])
		for (const id of identifiers)
			if (id.scheme === scheme && siretOf(id.value))
				return { ...id, value: siretOf(id.value) ?? null };
	return undefined;
}

const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));

/** Checks an invoice against Chorus Pro; the first problem with the buyer stops the others. */
export async function checkAgainstChorusPro(
	this: IExecuteFunctions,
	invoice: InvoiceTerms,
	cache: ExecutionCache,
	itemIndex: number,
): Promise<ChorusHits> {
	const found: ChorusHits = [];
	const add = (rule: ChorusRuleId, term: Term, details?: Record<string, string>) =>
		found.push({ rule, hits: [{ term: term.term, path: term.path, value: term.value, details }] });

	/** Where a party's SIRET belongs when it has none. */
	const legalId = (party: PartyTerms, term: string): Term => ({
		term,
		value: null,
		path: `${party.path}/${LEGAL_ID[invoice.syntax]}`,
	});

	const buyer = siretOfParty(invoice.buyer);
	if (!buyer) {
		const ids = invoice.buyer.ids;
		const first = ids.find((id) => id.term !== 'BT-48') ?? ids[0];
		add('buyer-siret', first ?? legalId(invoice.buyer, 'BT-47'), {
			found: first
				? `: it gives ${first.value} (${first.scheme ? `schemeID ${first.scheme}` : 'no schemeID'})`
				: '',
		});
		return found;
	}
	const siret = buyer.value ?? '';
	const [structure] = await findStructuresBySiret.call(this, cache, siret, itemIndex);
	if (!structure) {
		add('buyer-known', buyer);
		return found;
	}
	const name = text(structure.designationStructure) || siret;
	if (structure.statut === 'INACTIVE') {
		add('buyer-active', buyer, { name });
		return found;
	}
	const idStructureCPP = Number(structure.idStructureCPP);
	const details = await structureDetails.call(this, cache, idStructureCPP, itemIndex);
	if (
		(details.informationGenerales as IDataObject | undefined)?.structurePriveePublique === 'PRIVEE'
	) {
		add('buyer-public', buyer, { name });
		return found;
	}

	const requirements = requirementsOf(details.parametres as IDataObject | undefined);
	const { buyerReference: service, orderReference: commitment } = invoice;
	if (requirements.serviceCodeRequired && !service.value)
		add('service-code-required', service, { name });
	if (requirements.commitmentNumberRequired && !commitment.value)
		add('commitment-required', commitment, { name });
	if (requirements.serviceCodeOrCommitmentNumberRequired && !service.value && !commitment.value)
		add('service-or-commitment', service, { name });
	if (service.value) {
		const services = await structureServices.call(this, cache, idStructureCPP, itemIndex);
		const active = services.filter((candidate) => candidate.estActif !== false);
		const chosen = active.find((candidate) => candidate.codeService === service.value);
		if (!chosen) {
			const codes = active.map((candidate) => text(candidate.codeService)).join(', ') || 'none';
			add('service-code-active', service, { name, services: codes });
		} else if (!commitment.value && !requirements.commitmentNumberRequired) {
			const idService = Number(chosen.idService);
			const serviceInfo = await serviceDetails.call(
				this,
				cache,
				idStructureCPP,
				idService,
				itemIndex,
			);
			if ((serviceInfo.parametres as IDataObject | undefined)?.numeroEngagement === true)
				add('commitment-required', commitment, {
					name: `The service "${service.value}" of ${name}`,
				});
		}
	}

	const seller = siretOfParty(invoice.seller);
	const own = await cached(cache, 'supplier-structures', async () => {
		const answer = await chorusRequest.call(
			this,
			SERVICES.activeSupplierStructures,
			{},
			{ itemIndex },
		);
		return (answer.listeStructures as IDataObject[] | undefined) ?? [];
	});
	const supplier = own.find(
		(candidate) =>
			seller && text(candidate.identifiant ?? candidate.identifiantStructure) === seller.value,
	);
	if (!supplier) {
		const structures = own
			.map((candidate) => text(candidate.identifiant ?? candidate.identifiantStructure))
			.join(', ');
		add('supplier-structure', seller ?? legalId(invoice.seller, 'BT-30'), {
			seller: seller ? `SIRET ${seller.value}` : 'no SIRET given',
			structures: structures || 'none',
		});
		return found;
	}
	const number = invoice.number.value;
	if (!number) return found;
	const idFournisseur = Number(supplier.idStructureCPP);
	const invoices = await cached(
		cache,
		`invoice-number:${idFournisseur}:${number}`,
		async () =>
			await chorusRequestAll.call(
				this,
				SERVICES.searchSupplierInvoices,
				{
					...invoiceSearchCriteria.call(this, { invoiceNumber: number }, itemIndex),
					idFournisseur,
				},
				{ itemIndex, limit: 10 },
			),
	);
	const used = invoices.find(
		(candidate) =>
			text(candidate.numeroFacture).toUpperCase() === number.toUpperCase() &&
			(!candidate.codeFournisseur || candidate.codeFournisseur === seller?.value),
	);
	if (used)
		add('invoice-number-unused', invoice.number, {
			invoiceId: text(used.identifiantFactureCPP),
			status: text(used.statut),
		});
	return found;
}
