/**
 * The Chorus Pro services the nodes call: one place for each path, whether it may be re-sent,
 * and how it pages. Key names differ from one service to the next (docs/chorus-pro-api.md §2.6): that
 * is the contract, so it is written down here once.
 */
export interface PageSpec {
	/** Name of the request block holding pageResultatDemandee / nbResultatsParPage. */
	block: string;
	/** Key of the result list in the answer. */
	list: string;
	/** Where pageCourante / pages / total come back: in `parametresRetour`, or at the top level. */
	totals: 'parametresRetour' | 'topLevel';
	/** Key of a result's id: a result seen on two pages (the list moved between them) is kept once. */
	id: string;
}

export interface ChorusService {
	/** Path under the API base URL. */
	path: string;
	method: 'GET' | 'POST';
	/**
	 * True when sending the request twice cannot create or change anything, so it may be
	 * retried after a timeout or a gateway error. Deposits and submissions are never re-sent
	 * unless the request provably never reached the server.
	 */
	readOnly: boolean;
	page?: PageSpec;
	/** For a write: the answer field that proves it was taken, and what to do when it is missing. */
	proof?: WriteProof;
}

export interface WriteProof {
	field: string;
	/** What the user should check before sending again: the write may or may not have been taken. */
	check: string;
}

/** codeRetour of a search that found nothing: an empty list, not an error. */
export const NO_RESULT_CODE = 20000;

/**
 * Largest page requested. The API documents no cap; production clients use pages of 1000
 * (Pastell), which keeps each answer small enough for the gateway's timeouts.
 */
export const MAX_PAGE_SIZE = 1000;

function post(path: string, readOnly: boolean, page?: PageSpec): ChorusService {
	return { path, method: 'POST', readOnly, page };
}

function write(path: string, proof: WriteProof): ChorusService {
	return { path, method: 'POST', readOnly: false, proof };
}

export const SERVICES = {
	healthCheck: {
		path: '/cpro/transverses/v1/health-check',
		method: 'GET',
		readOnly: true,
	} as ChorusService,
	myAttachments: post('/cpro/utilisateurs/v1/monCompte/recuperer/rattachements', true, {
		block: 'parametresRecherche',
		list: 'listeStructureRattachement',
		totals: 'parametresRetour',
		id: 'idStructure',
	}),
	activeSupplierStructures: post(
		'/cpro/transverses/v1/recuperer/structures/actives/fournisseur',
		true,
	),
	activeRecipientStructures: post(
		'/cpro/transverses/v1/recuperer/structures/actives/destinataire',
		true,
	),
	searchStructures: post('/cpro/structures/v1/rechercher', true, {
		block: 'parametres',
		list: 'listeStructures',
		totals: 'parametresRetour',
		id: 'idStructureCPP',
	}),
	getStructure: post('/cpro/structures/v1/consulter', true),
	searchServices: post('/cpro/structures/v1/rechercher/services', true, {
		block: 'parametresRechercherServicesStructure',
		list: 'listeServices',
		totals: 'parametresRetour',
		id: 'idService',
	}),
	getService: post('/cpro/structures/v1/consulter/service', true),
	supplierBankAccounts: post('/cpro/transverses/v1/recuperer/coordbanc/valides', true),
	vatRates: post('/cpro/transverses/v1/recuperer/tauxtva', true),
	currencies: post('/cpro/transverses/v1/recuperer/devises', true),
	invoicingFrames: post('/cpro/transverses/v1/recuperer/cadrefacturation', true),
	paymentModes: post('/cpro/transverses/v1/recuperer/modereglements', true),
	vatExemptionReasons: post('/cpro/transverses/v1/recuperer/motifs/exonerationtva', true),
	attachmentTypes: post('/cpro/transverses/v1/recuperer/typespj', true),
	addFile: write('/cpro/transverses/v1/ajouter/fichier', {
		field: 'pieceJointeId',
		check:
			'No invoice was changed: an attachment without its ID cannot be used. Run the item again.',
	}),
	depositFlux: write('/cpro/factures/v1/deposer/flux', {
		field: 'numeroFluxDepot',
		check:
			"The file may or may not have been taken. Before sending it again, look for it in the Chorus Pro portal (Factures émises > Suivi des flux) or with Invoice > Search on today's deposit date and the invoice number.",
	}),
	fluxReport: post('/cpro/transverses/v1/consulterCRDetaille', true),
	fluxReportPdf: post('/cpro/transverses/v1/consulterCR', true),
	depositPdf: write('/cpro/factures/v1/deposer/pdf', {
		field: 'pieceJointeId',
		check:
			'No invoice was created: an uploaded PDF becomes an invoice only when it is submitted. Run the item again.',
	}),
	submitInvoice: write('/cpro/factures/v1/soumettre', {
		field: 'identifiantFactureCPP',
		check:
			'The invoice may or may not have been created. Before submitting it again, look for it with Invoice > Search on its invoice number.',
	}),
	searchSupplierInvoices: post('/cpro/factures/v1/rechercher/fournisseur', true, {
		block: 'rechercheFactureParFournisseur',
		list: 'listeFactures',
		totals: 'parametresRetour',
		id: 'identifiantFactureCPP',
	}),
	searchRecipientInvoices: post('/cpro/factures/v1/rechercher/recipiendaire', true, {
		block: 'paramRecherche',
		list: 'listeFactures',
		totals: 'topLevel',
		id: 'idFacture',
	}),
	getSupplierInvoice: post('/cpro/factures/v1/consulter/fournisseur', true),
	getRecipientInvoice: post('/cpro/factures/v1/consulter/recipiendaire', true),
	invoiceHistory: post('/cpro/factures/v1/consulter/historique', true),
	downloadInvoices: post('/cpro/factures/v1/telecharger/groupe', true),
	completeInvoice: post('/cpro/factures/v1/completer', false),
	recycleInvoice: post('/cpro/factures/v1/recycler', false),
	processReceivedInvoice: post('/cpro/factures/v1/traiter/recue', false),
} satisfies Record<string, ChorusService>;

/** "factures", "structures"... : the PISTE API group a path belongs to (subscriptions are per group). */
export function apiGroupOf(path: string): string {
	return /^\/cpro\/([^/]+)\//.exec(path)?.[1] ?? 'unknown';
}
