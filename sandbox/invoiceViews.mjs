// @ts-check
/**
 * The API views of an invoice record: the items of the two searches, the `facture` of the consultations, the
 * status history, and the files of telecharger/groupe (the deposited or a generated PDF, a ZIP, a pivot XML).
 */
import { makePdf } from './fixtures.mjs';
import { makeZip } from './fixtureArchives.mjs';

/** @typedef {import('./seed.mjs').State} State */
/** @typedef {import('./invoices.mjs').Invoice} Invoice */
/** @typedef {import('./invoices.mjs').AttachmentRef} AttachmentRef */

/**
 * Keys shared by the items of rechercher/fournisseur and rechercher/recipiendaire, in the order both answers
 * give them (spread in the middle of each item, so the key order of the answers is unchanged).
 * @param {Invoice} inv
 */
function searchItemCommon(inv) {
	return {
		dateDepot: inv.dateDepot,
		dateFacture: inv.dateFacture,
		dateHeureEtatCourant: inv.dateHeureEtatCourant,
		codeDestinataire: inv.destinataire.siret,
		designationDestinataire: inv.destinataire.designation,
		idDestinataire: inv.destinataire.id,
		codeServiceExecutant: inv.destinataire.codeService,
		idServiceExecutant: inv.destinataire.idService,
		nomServiceExecutant: inv.destinataire.nomService,
		codeFournisseur: inv.fournisseur.siret,
		designationFournisseur: inv.fournisseur.designation,
		typeIdentifiantFournisseur: inv.fournisseur.typeIdentifiant,
		codeServiceFournisseur: inv.fournisseur.codeService,
		nomServiceFournisseur: inv.fournisseur.nomService,
		montantHT: inv.montantHT,
		montantTTC: inv.montantTTC,
		montantAPayer: inv.montantAPayer,
		devise: inv.devise,
	};
}

/**
 * Item of rechercher/fournisseur `listeFactures` (keys of test/samples/factures-rechercher-fournisseur.response.json
 * + docs/chorus-pro-api.md §3.1).
 * @param {Invoice} inv
 */
export function supplierItem(inv) {
	return {
		identifiantFactureCPP: inv.idFacture,
		numeroFacture: inv.numeroFacture,
		numeroFluxDepot: inv.numeroFluxDepot,
		statut: inv.statut,
		typeFacture: inv.typeFacture,
		typeDemandePaiement: inv.typeDemandePaiement,
		...searchItemCommon(inv),
		modeDepot: inv.modeDepot,
		numeroBonCommande: inv.numeroBonCommande,
		numeroMarche: inv.numeroMarche,
		numeroFactureOrigine: inv.numeroFactureOrigine,
		commentaireEtatCourant: inv.commentaireEtatCourant,
		rejetTraite: inv.rejetTraite,
	};
}

/** Item of rechercher/recipiendaire `listeFactures` (keyed `idFacture`). @param {Invoice} inv */
export function recipientItem(inv) {
	return {
		idFacture: inv.idFacture,
		numeroFacture: inv.numeroFacture,
		statut: inv.statut,
		typeDemandePaiement: inv.typeDemandePaiement,
		typeFacture: inv.typeFacture,
		typeFactureTravaux: null,
		...searchItemCommon(inv),
		numeroBonCommande: inv.numeroBonCommande,
		numeroMarche: inv.numeroMarche,
		factureTelechargeeParDestinataire: inv.factureTelechargeeParDestinataire,
	};
}

/** @param {AttachmentRef} ref @param {'PRINCIPALE'|'COMPLEMENTAIRE'} nature */
const attachmentView = (ref, nature) => ({
	pieceJointeId: ref.pieceJointeId,
	pieceJointeDesignation: ref.designation,
	pieceJointeNom: ref.nom,
	pieceJointeExtension: ref.extension,
	pieceJointeType: ref.type,
	pieceJointeNature: nature,
});

/**
 * `facture` object of consulter/fournisseur and consulter/recipiendaire
 * (test/samples/factures-consulter-fournisseur.response.minimal.json + the sub-objects docs/chorus-pro-api.md
 * §3.1 lists).
 * @param {Invoice} inv
 */
export function invoiceDetail(inv) {
	return {
		identifiantFactureCPP: inv.idFacture,
		numeroFacture: inv.numeroFacture,
		statutFacture: inv.statut,
		modeDepot: inv.modeDepot,
		numeroFluxDepot: inv.numeroFluxDepot,
		commentaire: inv.commentaire,
		destinataire: {
			codeDestinataire: inv.destinataire.siret,
			codeServiceExecutant: inv.destinataire.codeService,
			idDestinataire: inv.destinataire.id,
			libelleDestinataire: inv.destinataire.designation,
			idServiceExecutant: inv.destinataire.idService,
			libelleServiceExecutant: inv.destinataire.nomService,
		},
		fournisseur: {
			idFournisseur: inv.fournisseur.id,
			codeFournisseur: inv.fournisseur.siret,
			typeIdentifiantFournisseur: inv.fournisseur.typeIdentifiant,
			raisonSocialeFournisseur: inv.fournisseur.designation,
			idServiceFournisseur: inv.fournisseur.idService,
			codeServiceFournisseur: inv.fournisseur.codeService,
			codeCoordonneesBancairesFournisseur: inv.fournisseur.idCoordonneeBancaire,
		},
		cadreDeFacturation: {
			codeCadreFacturation: inv.cadreFacturation,
			codeStructureValideur: inv.codeStructureValideur,
			codeServiceValideur: inv.codeServiceValideur,
		},
		references: {
			codeDeviseFacture: inv.devise,
			dateFacture: inv.dateFacture,
			dateDepot: inv.dateDepot,
			dateEcheancePaiement: inv.dateEcheancePaiement,
			typeFacture: inv.typeFacture,
			typeTva: inv.typeTva,
			modePaiement: inv.modePaiement,
			motifExonerationTva: inv.motifExonerationTva,
			numeroBonCommande: inv.numeroBonCommande,
			numeroMarche: inv.numeroMarche,
			numeroFactureOrigine: inv.numeroFactureOrigine,
			numeroDpMandat: inv.numeroDPMandat,
		},
		montantTotal: {
			montantHtTotal: inv.montantHT,
			montantTVA: inv.montantTVA,
			montantTtcTotal: inv.montantTTC,
			montantRemiseGlobaleTTC: inv.montantRemiseGlobaleTTC,
			motifRemiseGlobaleTTC: inv.motifRemiseGlobaleTTC,
			montantAPayer: inv.montantAPayer,
		},
		lignesDePoste: { lignePoste: inv.lignes },
		recapitulatifDeTva: { ligneTva: inv.lignesTva },
		listeDesPiecesJointes: {
			pieceJointe: [
				...inv.piecesJointesPrincipales.map((p) => attachmentView(p, 'PRINCIPALE')),
				...inv.piecesJointesComplementaires.map((p) => attachmentView(p, 'COMPLEMENTAIRE')),
			],
		},
	};
}

/**
 * Body of consulter/historique (test/samples/factures-consulter-historique.response.json): newest status first.
 * @param {Invoice} inv @param {number} [max] nbResultatsMaximum
 */
export function statusHistory(inv, max) {
	const list = [...inv.histo]
		.reverse()
		.slice(0, max && max > 0 ? max : undefined)
		.map((h) => ({
			histoStatutCode: h.histoStatutCode,
			histoStatutDatePassage: h.histoStatutDatePassage,
			histoStatutId: h.histoStatutId,
			...(h.histoStatutCommentaire ? { histoStatutCommentaire: h.histoStatutCommentaire } : {}),
		}));
	return {
		historiquesDesStatuts: { histoStatut: list },
		idFacture: inv.idFacture,
		modeDepot: inv.modeDepot,
		numeroFacture: inv.numeroFacture,
		statutCourantCode: inv.statut,
	};
}

// ---------------------------------------------------------------------------------------------------------------
// Downloads (telecharger/groupe)

/** @param {number} n */
const money = (n) => (Math.round(n * 100) / 100).toFixed(2);

/** File-system friendly version of an invoice number. @param {string} s */
const safeName = (s) => String(s).replace(/[^\w.+-]+/g, '_');

/** The stored upload an attachment refers to. @param {State} state @param {AttachmentRef} ref */
const storedUpload = (state, ref) =>
	state.piecesJointes.find((upload) => upload.pieceJointeId === ref.pieceJointeId);

/**
 * The PDF of an invoice: the deposited PDF when there is one (Factur-X flux, DEPOT_PDF_API main attachment),
 * otherwise a generated one-page rendering.
 * @param {State} state @param {Invoice} inv @returns {Buffer}
 */
export function invoicePdf(state, inv) {
	if (inv.source && inv.source.kind === 'pdf') return inv.source.data;
	for (const ref of inv.piecesJointesPrincipales) {
		const upload = storedUpload(state, ref);
		if (upload && upload.data && upload.data.subarray(0, 5).toString('latin1') === '%PDF-')
			return upload.data;
	}
	return makePdf(
		[
			`${inv.typeFacture === 'AVOIR' ? 'Avoir' : 'Facture'} N\xb0 ${inv.numeroFacture}`,
			`Date : ${inv.dateFacture}`,
			`Fournisseur : ${inv.fournisseur.designation} - SIRET fournisseur : ${inv.fournisseur.siret}`,
			`Destinataire : ${inv.destinataire.designation} - SIRET destinataire : ${inv.destinataire.siret}`,
			...(inv.destinataire.codeService ? [`Code service : ${inv.destinataire.codeService}`] : []),
			...(inv.numeroBonCommande ? [`Engagement juridique : ${inv.numeroBonCommande}`] : []),
			'',
			...inv.lignes.map(
				(l) =>
					`${l.lignePosteNumero}. ${l.lignePosteDenomination ?? ''} - ${l.lignePosteQuantite ?? 1} x ${money(l.lignePosteMontantUnitaireHT ?? 0)}`,
			),
			'',
			`Total HT : ${money(inv.montantHT)}`,
			`Total TVA : ${money(inv.montantTVA)}`,
			`Total TTC : ${money(inv.montantTTC)}`,
			`Net a payer : ${money(inv.montantAPayer)}`,
			`Devise : ${inv.devise}`,
			'',
			`Identifiant Chorus Pro : ${inv.idFacture} - Statut : ${inv.statut}`,
		].join('\n'),
	);
}

/** Text escaped for an XML element. @param {any} value */
const escapeXml = (value) =>
	String(value ?? '')
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;');

/**
 * A "flux pivot" XML holding the invoices and their attachments (base64). The real pivot schema was not found
 * (docs/chorus-pro-api.md §7): element names here are illustrative.
 * @param {State} state @param {Invoice[]} list @returns {string}
 */
export function pivotXml(state, list) {
	const units = list.map((inv) => pivotUnit(state, inv));
	return `<?xml version="1.0" encoding="UTF-8"?>\n<CPPFacturePivot>\n${units.join('\n')}\n</CPPFacturePivot>\n`;
}

/** One invoice of the pivot XML, with its deposited document and attachments. @param {State} state @param {Invoice} inv */
function pivotUnit(state, inv) {
	const uploads = [...inv.piecesJointesPrincipales, ...inv.piecesJointesComplementaires]
		.map((ref) => storedUpload(state, ref))
		.filter(Boolean);
	const attachments = [
		...(inv.source ? [{ nom: inv.source.nomFichier, data: inv.source.data }] : []),
		...uploads.map((upload) => ({ nom: `${upload.nom}.${upload.extension}`, data: upload.data })),
	];
	return `  <CPPFacturePivotUnitaire>
    <Fournisseur><TypeIdentifiant>${escapeXml(inv.fournisseur.typeIdentifiant)}</TypeIdentifiant><Identifiant>${escapeXml(inv.fournisseur.siret)}</Identifiant><RaisonSociale>${escapeXml(inv.fournisseur.designation)}</RaisonSociale><IdStructure>${inv.fournisseur.id}</IdStructure></Fournisseur>
    <Destinataire><Identifiant>${escapeXml(inv.destinataire.siret)}</Identifiant><RaisonSociale>${escapeXml(inv.destinataire.designation)}</RaisonSociale><CodeService>${escapeXml(inv.destinataire.codeService)}</CodeService></Destinataire>
    <Facture><IdFacture>${inv.idFacture}</IdFacture><NumeroFacture>${escapeXml(inv.numeroFacture)}</NumeroFacture><TypeFacture>${inv.typeFacture}</TypeFacture><CadreFacturation>${inv.cadreFacturation}</CadreFacturation><ModeDepot>${inv.modeDepot}</ModeDepot><DateFacture>${inv.dateFacture}</DateFacture><DateDepot>${inv.dateDepot}</DateDepot><Devise>${escapeXml(inv.devise)}</Devise><NumeroEngagement>${escapeXml(inv.numeroBonCommande)}</NumeroEngagement><NumeroMarche>${escapeXml(inv.numeroMarche)}</NumeroMarche><NumeroFactureOrigine>${escapeXml(inv.numeroFactureOrigine)}</NumeroFactureOrigine><Statut>${inv.statut}</Statut></Facture>
    <Montants><MontantHT>${money(inv.montantHT)}</MontantHT><MontantTVA>${money(inv.montantTVA)}</MontantTVA><MontantTTC>${money(inv.montantTTC)}</MontantTTC><MontantAPayer>${money(inv.montantAPayer)}</MontantAPayer></Montants>
    <LignesPoste>${inv.lignes.map((l) => `<LignePoste><Numero>${escapeXml(l.lignePosteNumero)}</Numero><Denomination>${escapeXml(l.lignePosteDenomination)}</Denomination><Quantite>${escapeXml(l.lignePosteQuantite)}</Quantite><MontantUnitaireHT>${escapeXml(l.lignePosteMontantUnitaireHT)}</MontantUnitaireHT></LignePoste>`).join('')}</LignesPoste>
    <PiecesJointes>${attachments.map((a) => `<PieceJointe><Nom>${escapeXml(a.nom)}</Nom><Contenu>${a.data.toString('base64')}</Contenu></PieceJointe>`).join('')}</PiecesJointes>
  </CPPFacturePivotUnitaire>`;
}

/**
 * telecharger/groupe result: PDF → one PDF, or a ZIP with one folder per invoice (with the complementary
 * attachments when asked); PIVOT → one XML.
 * @param {State} state @param {Invoice[]} list @param {'PDF'|'PIVOT'} format @param {boolean} withAttachments
 * @returns {Buffer}
 */
export function downloadFile(state, list, format, withAttachments) {
	if (format === 'PIVOT') return Buffer.from(pivotXml(state, list), 'utf8');
	if (list.length === 1 && !withAttachments) return invoicePdf(state, list[0]);
	/** @type {{ name: string, data: Buffer }[]} */
	const files = [];
	for (const inv of list) {
		const dir = `${safeName(inv.numeroFacture)}_${inv.idFacture}`;
		files.push({ name: `${dir}/${safeName(inv.numeroFacture)}.pdf`, data: invoicePdf(state, inv) });
		if (withAttachments) {
			for (const ref of inv.piecesJointesComplementaires) {
				const upload = storedUpload(state, ref);
				if (upload)
					files.push({
						name: `${dir}/${safeName(upload.nom)}.${upload.extension}`,
						data: upload.data,
					});
			}
		}
	}
	return makeZip(files);
}
