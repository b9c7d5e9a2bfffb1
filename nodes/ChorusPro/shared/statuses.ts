/**
 * Invoice and deposit (flux) statuses of Chorus Pro, with an English label and what they mean for
 * a workflow. Outputs carry them in a small, stable `summary` next to the raw Chorus fields.
 */

interface InvoiceStatusInfo {
	label: string;
	/** No further status change is expected. */
	final?: boolean;
	/** The supplier has to act (recycle, complete, issue a credit note). */
	actionRequired?: boolean;
}

export const INVOICE_STATUSES: Record<string, InvoiceStatusInfo> = {
	BROUILLON: { label: 'Draft' },
	A_VALIDER_1: { label: 'To validate (level 1)' },
	A_VALIDER_2: { label: 'To validate (level 2)' },
	VALIDEE_1: { label: 'Validated (level 1)' },
	VALIDEE_2: { label: 'Validated (level 2)' },
	REFUSEE_1: { label: 'Refused by the validator (level 1)', actionRequired: true },
	REFUSEE_2: { label: 'Refused by the validator (level 2)', actionRequired: true },
	DEPOSEE: { label: 'Deposited' },
	EN_COURS_ACHEMINEMENT: { label: 'Being routed to the recipient' },
	MISE_A_DISPOSITION: { label: 'Made available to the recipient' },
	A_RECYCLER: {
		label: 'To recycle (wrong recipient, service or commitment)',
		actionRequired: true,
	},
	EN_ATTENTE_RECYCLAGE_FOURNISSEUR: {
		label: 'Waiting for the supplier to recycle',
		actionRequired: true,
	},
	SUSPENDUE: { label: 'Suspended (to complete)', actionRequired: true },
	COMPLETEE: { label: 'Completed by the supplier' },
	REJETEE: { label: 'Rejected', final: true, actionRequired: true },
	SERVICE_FAIT: { label: 'Service done (goods or work accepted)' },
	MANDATEE: { label: 'Payment order issued (mandated)' },
	MISE_A_DISPOSITION_COMPTABLE: { label: 'Made available to the public accountant' },
	COMPTABILISEE: { label: 'Recorded by the public accountant' },
	MISE_EN_PAIEMENT: { label: 'Paid', final: true },
	ABANDONNEE: { label: 'Abandoned', final: true },
	SUPPRIMEE: { label: 'Deleted', final: true },
	INTERPRETEE_OCR: { label: 'Read by OCR, to submit' },
	A_COMPLETER: { label: 'To complete', actionRequired: true },
	NON_CONFORME: { label: 'Not compliant', actionRequired: true },
	ASSOCIEE: { label: 'Associated' },
	PRISE_EN_COMPTE_DESTINATAIRE: { label: 'Taken into account by the recipient' },
	TRANSMISE_MOA: { label: 'Sent to the contracting authority' },
};

/** An invoice status as outputs show it. */
export type InvoiceStatusSummary = {
	status: string;
	statusLabel: string;
	isFinal: boolean;
	actionRequired: boolean;
};

/** What a status means for a workflow; unknown codes keep their code as label. */
export function invoiceStatusSummary(status: unknown): InvoiceStatusSummary {
	const code = typeof status === 'string' ? status : '';
	const info = INVOICE_STATUSES[code];
	return {
		status: code,
		statusLabel: info?.label ?? code.replace(/_/g, ' ').toLowerCase(),
		isFinal: info?.final === true,
		actionRequired: info?.actionRequired === true,
	};
}

/** Final deposit states and whether they mean success. */
const FLUX_STATES: Record<string, { label: string; final: boolean; success?: boolean }> = {
	IN_RECU: { label: 'Received', final: false },
	IN_DEPOT_PORTAIL_EN_ATTENTE_TRAITEMENT_SE_CPP: {
		label: 'Deposited, waiting to be processed',
		final: false,
	},
	IN_TRAITE_SE_CPP: { label: 'In the Chorus Pro exchange system', final: false },
	IN_EN_ATTENTE_TRAITEMENT_CPP: { label: 'Queued', final: false },
	IN_EN_COURS_TRAITEMENT_CPP: { label: 'Being processed', final: false },
	IN_EN_ATTENTE_RETRAITEMENT_CPP: { label: 'Blocked, waiting for a manual restart', final: false },
	IN_INTEGRE: { label: 'Integrated', final: true, success: true },
	IN_INTEGRE_PARTIEL: {
		label: 'Partially integrated (some invoices rejected)',
		final: true,
		success: true,
	},
	IN_REJETE: { label: 'Rejected', final: true, success: false },
	IN_INCIDENTE: { label: 'Not processed: send the whole file again', final: true, success: false },
	IN_A_RELANCER: { label: 'To send again', final: true, success: false },
	IN_ERREUR_INTERNE: {
		label: 'Internal error of Chorus Pro: send again',
		final: true,
		success: false,
	},
};

/** A deposit state as outputs show it. */
export type FluxStateSummary = {
	state: string;
	stateLabel: string;
	isFinal: boolean;
	isSuccess: boolean;
};

export function fluxStateSummary(state: unknown): FluxStateSummary {
	const code = typeof state === 'string' ? state : '';
	const info = FLUX_STATES[code];
	return {
		state: code,
		stateLabel: info?.label ?? code.replace(/^IN_/, '').replace(/_/g, ' ').toLowerCase(),
		isFinal: info?.final === true,
		isSuccess: info?.success === true,
	};
}
