// @ts-check
/**
 * Tests of the factures services (soumettre, searches, consultations, history, download, completer, recycler,
 * traiter/recue) and of the invoice admin hooks. Run with `node --test test/sandbox/`.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import { sample, sameShape as sameShapeStrict, startSandbox, num } from './testing-helpers.mjs';
import { makeFacturXPdf, makeInvoicePdf, makeUblXml } from '../../sandbox/fixtures.mjs';

/**
 * The API answers null for absent optional values, so here a null in the answer matches any type of the sample.
 * @param {any} actual @param {any} expected @param {{ exact?: boolean }} [opts]
 */
const sameShape = (actual, expected, opts = {}) =>
	sameShapeStrict(actual, expected, { ...opts, nullMatchesAny: true });

const F = '/cpro/factures/v1';
/** A valid SAISIE_API body for the recipient without requirements. @param {Record<string, any>} [over] */
function saisie(over = {}) {
	return {
		modeDepot: 'SAISIE_API',
		numeroFactureSaisi: num('S'),
		dateFacture: '2024-05-14',
		destinataire: { codeDestinataire: '00000000012887' },
		fournisseur: {
			idFournisseur: 26300989,
			idServiceFournisseur: 10657669,
			codeCoordonneesBancairesFournisseur: 132,
		},
		cadreDeFacturation: { codeCadreFacturation: 'A1_FACTURE_FOURNISSEUR' },
		references: {
			deviseFacture: 'EUR',
			typeFacture: 'FACTURE',
			typeTva: 'TVA_SUR_DEBIT',
			modePaiement: 'VIREMENT',
		},
		lignePoste: [
			{
				lignePosteNumero: 1,
				lignePosteReference: 'R1',
				lignePosteDenomination: 'D1',
				lignePosteQuantite: 10,
				lignePosteUnite: 'lot',
				lignePosteMontantUnitaireHT: 50,
				lignePosteTauxTva: 'TVA6',
			},
			{
				lignePosteNumero: 2,
				lignePosteDenomination: 'D2',
				lignePosteQuantite: 2,
				lignePosteMontantUnitaireHT: 250,
				lignePosteMontantRemiseHT: 0,
				lignePosteTauxTvaManuel: 20,
			},
		],
		ligneTva: [
			{
				ligneTvaMontantBaseHtParTaux: 1000,
				ligneTvaMontantTvaParTaux: 200,
				ligneTvaTauxManuel: 20,
			},
		],
		montantTotal: {
			montantHtTotal: 1000,
			montantTVA: 200,
			montantTtcTotal: 1200,
			montantRemiseGlobaleTTC: 0,
			montantAPayer: 1200,
		},
		commentaire: 'Test',
		...over,
	};
}

describe('soumettre and deposer/pdf', () => {
	/** @type {Awaited<ReturnType<typeof startSandbox>>} */
	let t;
	before(async () => {
		t = await startSandbox();
	});
	after(() => t.sb.close());

	it('creates a SAISIE_API invoice DEPOSEE (sample shape)', async () => {
		const body = saisie();
		const r = await t.api(`${F}/soumettre`, body);
		assert.equal(r.status, 200, JSON.stringify(r.body));
		sameShape(r.body, sample('factures-soumettre.response.json'), { exact: true });
		assert.equal(r.body.libelle, 'GCU_MSG_01_000');
		assert.equal(r.body.statutFacture, 'DEPOSEE');
		assert.equal(r.body.numeroFacture, body.numeroFactureSaisi);
		assert.equal(r.body.identifiantStructure, '73442027438548');
		assert.match(r.body.dateDepot, /^\d{4}-\d{2}-\d{2}$/);
		assert.match(r.body.empreinteCertificatDepot, /^[A-Za-z0-9+/]{43}=$/);
	});

	it('numbers the invoice itself when numeroFactureSaisi is null (official SAISIE_API example)', async () => {
		const r = await t.api(`${F}/soumettre`, saisie({ numeroFactureSaisi: null }));
		assert.equal(r.status, 200);
		assert.match(r.body.numeroFacture, /^CPP\d{8}$/);
	});

	it('creates a DEPOT_PDF_API invoice from a PDF deposited with deposer/pdf (sample request)', async () => {
		const number = num('PDF');
		const pdf = await t.api(`${F}/deposer/pdf`, {
			fichierFacture: makeInvoicePdf({
				number,
				recipientSiret: '12345678200028',
				serviceCode: 'SERVICE_DEST_SERV_OBL',
				ej: 'EJ-0001',
			}).toString('base64'),
			nomFichier: 'facture.pdf',
			formatDepot: 'PDF_NON_SIGNE',
		});
		assert.equal(pdf.status, 200);
		sameShape(pdf.body, sample('factures-deposer-pdf.response.ocr-empty.json'), { exact: true });
		sameShape(pdf.body, sample('factures-deposer-pdf.response.official-partial.json'));
		assert.equal(pdf.body.numeroFacture, number);
		assert.equal(pdf.body.codeDestinataire, '12345678200028');
		assert.equal(pdf.body.codeServiceExecutant, 'SERVICE_DEST_SERV_OBL');
		assert.equal(pdf.body.numeroBonCommande, 'EJ-0001');
		assert.equal(pdf.body.montantHtTotal, 1000);
		const body = sample('factures-soumettre.request.depot-pdf-api.json');
		body.numeroFactureSaisi = number;
		body.fournisseur.codeCoordonneesBancairesFournisseur = 133; // the sample's id is not a seed bank account
		body.pieceJointePrincipale[0].pieceJointePrincipaleId = pdf.body.pieceJointeId;
		const r = await t.api(`${F}/soumettre`, body);
		assert.equal(r.status, 200, JSON.stringify(r.body));
		const c = await t.api(`${F}/consulter/fournisseur`, {
			identifiantFactureCPP: r.body.identifiantFactureCPP,
		});
		assert.equal(c.body.facture.modeDepot, 'DEPOT_PDF_API');
		assert.equal(
			c.body.facture.listeDesPiecesJointes.pieceJointe[0].pieceJointeId,
			pdf.body.pieceJointeId,
		);
	});

	it('refuses every invalid soumettre request with the documented codes', async () => {
		const dup = saisie();
		assert.equal((await t.api(`${F}/soumettre`, dup)).status, 200);
		/** @type {[string, any, number][]} */
		const cases = [
			['modeDepot missing', saisie({ modeDepot: undefined }), 20099],
			['modeDepot invalid', saisie({ modeDepot: 'SAISIE_WEB' }), 20097],
			['numero too long', saisie({ numeroFactureSaisi: 'X'.repeat(21) }), 20097],
			['bad dateFacture', saisie({ dateFacture: '14/05/2024' }), 20097],
			['fournisseur missing', saisie({ fournisseur: {} }), 20099],
			[
				"fournisseur not the account's",
				saisie({ fournisseur: { idFournisseur: 25783752 } }),
				20001,
			],
			[
				'unknown supplier service',
				saisie({ fournisseur: { idFournisseur: 26300989, idServiceFournisseur: 1 } }),
				20097,
			],
			[
				'unknown bank account',
				saisie({
					fournisseur: { idFournisseur: 26300989, codeCoordonneesBancairesFournisseur: 144050 },
				}),
				20097,
			],
			['cadre missing', saisie({ cadreDeFacturation: {} }), 20099],
			[
				'cadre not allowed',
				saisie({
					cadreDeFacturation: { codeCadreFacturation: 'A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR' },
				}),
				20097,
			],
			['typeFacture invalid', saisie({ references: { typeFacture: 'ACOMPTE' } }), 20097],
			['typeTva invalid', saisie({ references: { typeTva: 'TVA' } }), 20097],
			['modePaiement invalid', saisie({ references: { modePaiement: 'CB' } }), 20097],
			['destinataire missing', saisie({ destinataire: {} }), 20099],
			[
				'unknown recipient',
				saisie({ destinataire: { codeDestinataire: '99999999999999' } }),
				20303,
			],
			[
				'inactive recipient',
				saisie({ destinataire: { codeDestinataire: '12345678200077' } }),
				20303,
			],
			['service required', saisie({ destinataire: { codeDestinataire: '12345678200028' } }), 20304],
			[
				'unknown service',
				saisie({
					destinataire: { codeDestinataire: '12345678200028', codeServiceExecutant: 'NOPE' },
				}),
				20304,
			],
			[
				'inactive service',
				saisie({
					destinataire: {
						codeDestinataire: '12345678200028',
						codeServiceExecutant: 'SERVICE_INACTIF',
					},
				}),
				20304,
			],
			['EJ or service', saisie({ destinataire: { codeDestinataire: '12345678200044' } }), 20304],
			['EJ required', saisie({ destinataire: { codeDestinataire: '12345678200036' } }), 20305],
			[
				'EJ required by the service',
				saisie({
					destinataire: {
						codeDestinataire: '12345678200028',
						codeServiceExecutant: 'SERVICE_EJ_OBL',
					},
				}),
				20305,
			],
			['no lines', saisie({ lignePoste: [] }), 20099],
			[
				'line without quantity',
				saisie({
					lignePoste: [{ lignePosteDenomination: 'x', lignePosteMontantUnitaireHT: 1000 }],
				}),
				20099,
			],
			[
				'unknown VAT code',
				saisie({
					lignePoste: [
						{
							lignePosteDenomination: 'x',
							lignePosteQuantite: 1,
							lignePosteMontantUnitaireHT: 1000,
							lignePosteTauxTva: 'TVA9',
						},
					],
				}),
				20097,
			],
			[
				'lines ≠ HT',
				saisie({
					lignePoste: [
						{
							lignePosteDenomination: 'x',
							lignePosteQuantite: 1,
							lignePosteMontantUnitaireHT: 999,
						},
					],
				}),
				20097,
			],
			[
				'HT + TVA ≠ TTC',
				saisie({ montantTotal: { montantHtTotal: 1000, montantTVA: 200, montantTtcTotal: 1300 } }),
				20097,
			],
			[
				'VAT lines ≠ TVA',
				saisie({
					ligneTva: [{ ligneTvaMontantBaseHtParTaux: 1000, ligneTvaMontantTvaParTaux: 100 }],
				}),
				20097,
			],
			['total missing', saisie({ montantTotal: { montantHtTotal: 1000 } }), 20099],
			['DEPOT_PDF_API without attachment', saisie({ modeDepot: 'DEPOT_PDF_API' }), 20099],
			[
				'unknown attachment',
				saisie({
					modeDepot: 'DEPOT_PDF_SIGNE_API',
					pieceJointePrincipale: [{ pieceJointePrincipaleId: 1 }],
				}),
				20097,
			],
			['duplicate number', saisie({ numeroFactureSaisi: dup.numeroFactureSaisi }), 20013],
		];
		for (const [label, body, code] of cases) {
			const r = await t.api(`${F}/soumettre`, body);
			assert.equal(r.status, 400, label);
			assert.equal(r.body.codeRetour, code, `${label}: ${r.body.libelle}`);
			assert.equal(typeof r.body.libelle, 'string');
		}
	});

	it('deposer/pdf: empty OCR, Factur-X data, and refusals', async () => {
		const plain = await t.api(`${F}/deposer/pdf`, {
			fichierFacture: makeInvoicePdf().toString('base64').replace(/.{76}/g, '$&\n'),
			nomFichier: 'a.pdf',
			formatDepot: 'PDF_SIGNE_PADES',
		});
		assert.equal(plain.status, 200, 'base64 with line breaks is accepted');
		const empty = await t.api(`${F}/deposer/pdf`, {
			fichierFacture: makeFacturXPdf({ number: 'FX-OCR' }).toString('base64'),
			nomFichier: 'fx.pdf',
			formatDepot: 'PDF_NON_SIGNE',
		});
		assert.equal(empty.body.numeroFacture, 'FX-OCR');
		assert.equal(empty.body.montantTVA, 200);
		const nothing = await t.api(`${F}/deposer/pdf`, {
			fichierFacture: Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64'),
			nomFichier: 'x.pdf',
			formatDepot: 'PDF_NON_SIGNE',
		});
		assert.equal(nothing.status, 200);
		const expected = {
			...sample('factures-deposer-pdf.response.ocr-empty.json'),
			pieceJointeId: nothing.body.pieceJointeId,
		};
		assert.deepEqual(nothing.body, expected);
		const base = {
			fichierFacture: makeInvoicePdf().toString('base64'),
			nomFichier: 'a.pdf',
			formatDepot: 'PDF_NON_SIGNE',
		};
		assert.equal(
			(await t.api(`${F}/deposer/pdf`, { ...base, fichierFacture: undefined })).body.codeRetour,
			20099,
		);
		assert.equal(
			(
				await t.api(`${F}/deposer/pdf`, {
					...base,
					fichierFacture: Buffer.from('<xml/>').toString('base64'),
				})
			).body.codeRetour,
			20097,
		);
		assert.equal(
			(await t.api(`${F}/deposer/pdf`, { ...base, formatDepot: 'PDF' })).body.codeRetour,
			20097,
		);
		assert.equal(
			(await t.api(`${F}/deposer/pdf`, { ...base, nomFichier: undefined })).body.codeRetour,
			20099,
		);
		const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(10 * 1024 * 1024)]);
		const tooBig = await t.api(`${F}/deposer/pdf`, {
			...base,
			fichierFacture: big.toString('base64'),
		});
		assert.equal(tooBig.status, 413);
	});
});

describe('searches', () => {
	/** @type {Awaited<ReturnType<typeof startSandbox>>} */
	let t;
	before(async () => {
		t = await startSandbox();
	});
	after(() => t.sb.close());

	it('pages a bulk of 35 invoices in 4 pages of 10', async () => {
		const bulk = await t.admin('/invoices/bulk', {
			count: 35,
			destinataireSiret: '12345678200051',
			dateDepot: '2024-03-10',
		});
		assert.equal(bulk.status, 200);
		const seen = new Set();
		for (let page = 1; page <= 4; page++) {
			const r = await t.api(`${F}/rechercher/fournisseur`, {
				periodeDateDepotDu: '2024-03-10',
				periodeDateDepotAu: '2024-03-10',
				rechercheFactureParFournisseur: { pageResultatDemandee: page, nbResultatsParPage: 10 },
			});
			assert.equal(r.status, 200);
			sameShape(r.body, sample('factures-rechercher-fournisseur.response.json'));
			assert.deepEqual(r.body.parametresRetour, {
				pageCourante: page,
				pages: 4,
				nbResultatsParPage: 10,
				total: 35,
			});
			assert.equal(r.body.listeFactures.length, page < 4 ? 10 : 5);
			for (const f of r.body.listeFactures) seen.add(f.identifiantFactureCPP);
		}
		assert.equal(seen.size, 35);
		// default block values (no block / a wrong block name): page 1 of 10
		const d = await t.api(`${F}/rechercher/fournisseur`, {
			periodeDateDepotDu: '2024-03-10',
			periodeDateDepotAu: '2024-03-10',
			parametres: { nbResultatsParPage: 50 },
		});
		assert.deepEqual(d.body.parametresRetour, {
			pageCourante: 1,
			pages: 4,
			nbResultatsParPage: 10,
			total: 35,
		});
		// sorting
		const asc = await t.api(`${F}/rechercher/fournisseur`, {
			periodeDateDepotDu: '2024-03-10',
			periodeDateDepotAu: '2024-03-10',
			rechercheFactureParFournisseur: {
				nbResultatsParPage: 5,
				triColonne: 'NumeroFacture',
				triSens: 'Ascendant',
			},
		});
		const numbers = asc.body.listeFactures.map((/** @type {any} */ f) => f.numeroFacture);
		assert.deepEqual(numbers, [...numbers].sort());
		assert.ok(numbers[0].endsWith('000001'));
		// recipient side: same 35 only once visible (MISE_A_DISPOSITION)
		const hidden = await t.api(
			`${F}/rechercher/recipiendaire`,
			{ idDestinataire: 25784155, paramRecherche: { nbResultatsParPage: 10 } },
			'recipient',
		);
		assert.deepEqual(
			hidden.body,
			sample('factures-rechercher-recipiendaire.response.no-result.json'),
		);
		await t.admin('/invoices/bulk', {
			count: 35,
			destinataireSiret: '12345678200051',
			statut: 'MISE_A_DISPOSITION',
			dateDepot: '2024-03-11',
		});
		for (let page = 1; page <= 4; page++) {
			const r = await t.api(
				`${F}/rechercher/recipiendaire`,
				{
					typeDemandePaiement: 'FACTURE',
					idDestinataire: 25784155,
					paramRecherche: { pageResultatDemandee: page, nbResultatsParPage: 10 },
				},
				'recipient',
			);
			assert.equal(r.status, 200);
			sameShape(r.body, sample('factures-rechercher-recipiendaire.response.json'));
			sameShape(
				r.body,
				sample('factures-rechercher-atraiter-recipiendaire.response.official-partial.json'),
			);
			assert.equal(r.body.pageCourante, page);
			assert.equal(r.body.pages, 4);
			assert.equal(r.body.total, 35);
			assert.equal(r.body.nbResultatsParPage, 10);
			assert.equal(r.body.parametresRetour, undefined, 'paging keys are at top level');
			assert.equal(r.body.listeFactures.length, page < 4 ? 10 : 5);
			assert.equal(r.body.listeFactures[0].identifiantFactureCPP, undefined);
			assert.equal(typeof r.body.listeFactures[0].idFacture, 'number');
		}
	});

	it('answers "no result" with HTTP 200, 20000, TRA_MSG_00.015 and no list', async () => {
		for (const [path, who] of /** @type {const} */ ([
			['rechercher/fournisseur', 'supplier'],
			['rechercher/recipiendaire', 'recipient'],
		])) {
			const r = await t.api(`${F}/${path}`, { numeroFacture: 'DOES-NOT-EXIST' }, who);
			assert.equal(r.status, 200);
			assert.deepEqual(r.body, { codeRetour: 20000, libelle: 'TRA_MSG_00.015' });
		}
	});

	it('filters by status, dates, amounts, recipient and type', async () => {
		const base = await t.admin('/invoices/bulk', {
			count: 3,
			destinataireSiret: '00000000012887',
			statut: 'MISE_A_DISPOSITION',
			dateDepot: '2024-06-20',
			montantHT: 777,
			prefix: 'FILT-',
		});
		const ids = [base.body.firstId, base.body.firstId + 1, base.body.firstId + 2];
		await t.admin(`/invoices/${ids[0]}/status`, {
			statut: 'SUSPENDUE',
			commentaire: 'pièce manquante',
		});
		/** @param {any} body @param {'supplier'|'recipient'} [who] */
		const count = async (body, who = 'supplier') => {
			const r = await t.api(
				`${F}/rechercher/${who === 'supplier' ? 'fournisseur' : 'recipiendaire'}`,
				{ ...body, montantHTMin: 777, montantHTMax: 777 },
				who,
			);
			return r.body.codeRetour === 20000 ? 0 : r.body.listeFactures.length;
		};
		assert.equal(await count({}), 3);
		assert.equal(await count({ statutCourant: ['SUSPENDUE'] }), 1);
		assert.equal(await count({ statutCourant: 'SUSPENDUE' }, 'recipient'), 1);
		assert.equal(await count({ statutCourant: ['MISE_A_DISPOSITION', 'SUSPENDUE'] }), 3);
		assert.equal(await count({ periodeDateDepotDu: '2024-06-21' }), 0);
		assert.equal(
			await count({ periodeDateFactureDu: '2024-06-20', periodeDateFactureAu: '2024-06-20' }),
			3,
			'the SUSPENDUE one changed now but keeps its dates',
		);
		// state changes: the SUSPENDUE one changed "now"; the others on 2024-06-20 12:00 Paris
		assert.equal(
			await count({
				periodeDateHeureEtatCourantDu: '2024-06-20',
				periodeDateHeureEtatCourantAu: '2024-06-20',
			}),
			2,
		);
		assert.equal(
			await count({
				periodeDateHeureEtatCourantDu: '2024-06-20T12:00:00',
				periodeDateHeureEtatCourantAu: '2024-06-20T12:00:00',
			}),
			2,
		);
		assert.equal(
			await count({
				periodeDateHeureEtatCourantDu: '2024-06-20T12:00:01',
				periodeDateHeureEtatCourantAu: '2024-06-20T23:59:59',
			}),
			0,
		);
		assert.equal(
			await count({
				periodeDateHeureEtatCourantDu: '2024-06-20T10:00:00Z',
				periodeDateHeureEtatCourantAu: '2024-06-20T10:00:00+00:00',
			}),
			2,
			'12:00 Paris = 10:00 UTC in June',
		);
		assert.equal(await count({ montantTTCMin: 1000 }), 0);
		assert.equal(await count({ listeDestinataire: [{ idDestinataire: 25783752 }] }), 3);
		assert.equal(await count({ listeDestinataire: [{ idDestinataire: 25784152 }] }), 0);
		assert.equal(await count({ typeFacture: 'AVOIR' }), 0);
		assert.equal(
			await count({ idDestinataire: 25783752, listeTypeFacture: ['FACTURE'] }, 'recipient'),
			3,
		);
		assert.equal(
			await count(
				{ listeFournisseurs: [{ idFournisseur: 26300989, listeIdService: [] }] },
				'recipient',
			),
			3,
		);
		assert.equal(await count({ factureTelechargeeParDestinataire: true }, 'recipient'), 0);
		const bad = await t.api(`${F}/rechercher/fournisseur`, { periodeDateDepotDu: '20/06/2024' });
		assert.equal(bad.status, 400);
		assert.equal(bad.body.codeRetour, 20097);
		const badStatus = await t.api(`${F}/rechercher/fournisseur`, { statutCourant: ['PAYEE'] });
		assert.equal(badStatus.body.codeRetour, 20097);
		const tooBig = await t.api(`${F}/rechercher/fournisseur`, {
			rechercheFactureParFournisseur: { nbResultatsParPage: 10001 },
		});
		assert.equal(tooBig.status, 400);
	});

	it("only shows the account's own invoices", async () => {
		await t.admin('/invoices/bulk', { count: 2, statut: 'DEPOSEE', prefix: 'OWN-' });
		const r = await t.api(
			`${F}/rechercher/fournisseur`,
			{ numeroFacture: 'OWN-000001' },
			'recipient',
		);
		assert.equal(r.body.codeRetour, 20000, 'the recipient account is not the supplier');
		const d = await t.api(
			`${F}/rechercher/recipiendaire`,
			{ numeroFacture: 'OWN-000001' },
			'recipient',
		);
		assert.equal(d.body.codeRetour, 20000, 'DEPOSEE is not visible to the recipient');
	});

	it('creates 5000 invoices quickly and searches them', async () => {
		const started = performance.now();
		const r = await t.admin('/invoices/bulk', { count: 5000, dateDepot: '2023-01-15' });
		const ms = performance.now() - started;
		assert.equal(r.status, 200);
		assert.equal(r.body.count, 5000);
		assert.equal(r.body.lastId - r.body.firstId, 4999);
		assert.ok(ms < 1000, `bulk of 5000 took ${ms.toFixed(0)} ms`);
		const s = await t.api(`${F}/rechercher/fournisseur`, {
			periodeDateDepotAu: '2023-01-15',
			rechercheFactureParFournisseur: { nbResultatsParPage: 10000 },
		});
		assert.equal(s.body.parametresRetour.total, 5000);
		assert.equal(s.body.listeFactures.length, 5000);
	});
});

describe('consultation, history, download, lifecycle', () => {
	/** @type {Awaited<ReturnType<typeof startSandbox>>} */
	let t;
	before(async () => {
		t = await startSandbox();
	});
	after(() => t.sb.close());

	/** Submits an invoice and returns its id. @param {Record<string, any>} [over] */
	async function submit(over) {
		const r = await t.api(`${F}/soumettre`, saisie(over));
		assert.equal(r.status, 200, JSON.stringify(r.body));
		return /** @type {number} */ (r.body.identifiantFactureCPP);
	}
	/** @param {number} id @param {string} until */
	const advance = (id, until) => t.admin(`/invoices/${id}/advance`, { until });

	it('consults an invoice from both sides (sample shape, id keys)', async () => {
		const id = await submit({
			references: {
				deviseFacture: 'EUR',
				typeFacture: 'FACTURE',
				typeTva: 'TVA_SUR_DEBIT',
				modePaiement: 'VIREMENT',
				numeroBonCommande: 'EJ-0001',
			},
		});
		const s = await t.api(`${F}/consulter/fournisseur`, {
			...sample('factures-consulter-fournisseur.request.json'),
			identifiantFactureCPP: id,
		});
		assert.equal(s.status, 200);
		sameShape(s.body, sample('factures-consulter-fournisseur.response.minimal.json'));
		assert.equal(s.body.facture.identifiantFactureCPP, id);
		assert.equal(s.body.facture.statutFacture, 'DEPOSEE');
		assert.equal(s.body.facture.lignesDePoste.lignePoste.length, 2);
		assert.equal(s.body.facture.references.numeroBonCommande, 'EJ-0001');
		// recipient: not visible while DEPOSEE, then visible from MISE_A_DISPOSITION
		assert.equal(
			(await t.api(`${F}/consulter/recipiendaire`, { identifiantFactureCPP: id }, 'recipient')).body
				.codeRetour,
			20001,
		);
		await advance(id, 'MISE_A_DISPOSITION');
		const r = await t.api(
			`${F}/consulter/recipiendaire`,
			{ identifiantFactureCPP: id },
			'recipient',
		);
		assert.equal(r.status, 200);
		sameShape(r.body, sample('factures-consulter-fournisseur.response.minimal.json'));
		assert.equal(r.body.facture.statutFacture, 'MISE_A_DISPOSITION');
		// errors
		const unknown = await t.api(`${F}/consulter/fournisseur`, { identifiantFactureCPP: 1 });
		assert.equal(unknown.status, 400);
		assert.deepEqual(unknown.body, {
			codeRetour: 20000,
			libelle: "GDP_MSG_11.008 La demande de paiement n'existe pas.",
		});
		assert.equal(
			(await t.api(`${F}/consulter/fournisseur`, { identifiantFactureCPP: id }, 'recipient')).body
				.codeRetour,
			20001,
		);
		assert.equal((await t.api(`${F}/consulter/fournisseur`, {})).body.codeRetour, 20099);
	});

	// Which key names the invoice, per service of the factures group (README "Invoice id key per service").
	// identifiantFactureCPP: consulter/fournisseur and consulter/recipiendaire (antoine2116/go-choruspro
	// factures_consultations.go, ConsulterFactureFournisseurOptions / ConsulterFactureOptions; CPP-2017/ChorusPro
	// ChorusProAPI/API/Factures/_Facture.cs, ConsulterFacture.identifiantFactureCPP marked obligatoire, the input
	// of both ConsulterFactureParFournisseur.cs and ConsulterFactureParRecipiendaire.cs), completer (CPP-2017
	// CompleterFacture.cs), recycler (test/samples/factures-recycler.request.official.json).
	// idFacture: consulter/historique (test/samples/factures-consulter-historique.request.json, CPP-2017
	// ConsulterHistoriqueFacture.cs), traiter/recue and telecharger/groupe (test/samples/factures-traiter-recue and
	// factures-telecharger-groupe .request.official.json; go-choruspro TraiterFactureRecueOptions, IdFacture).
	it('names the invoice with identifiantFactureCPP on consulter/recipiendaire, idFacture on the other recipient services', async () => {
		const id = await submit();
		await advance(id, 'MISE_A_DISPOSITION');
		const recipient = (/** @type {string} */ path, /** @type {any} */ body) =>
			t.api(`${F}/${path}`, body, 'recipient');
		// consulter/recipiendaire: identifiantFactureCPP, like consulter/fournisseur
		const ok = await recipient('consulter/recipiendaire', { identifiantFactureCPP: id });
		assert.equal(ok.status, 200, JSON.stringify(ok.body));
		assert.equal(ok.body.facture.identifiantFactureCPP, id);
		for (const [path, body] of /** @type {[string, any][]} */ ([
			['consulter/recipiendaire', { idFacture: id }],
			['consulter/recipiendaire', {}],
		])) {
			const r = await recipient(path, body);
			assert.equal(r.status, 400);
			assert.deepEqual(r.body, {
				codeRetour: 20099,
				libelle: 'Le paramètre identifiantFactureCPP est obligatoire.',
			});
		}
		// the same missing-key answer as consulter/fournisseur
		assert.deepEqual((await t.api(`${F}/consulter/fournisseur`, { idFacture: id })).body, {
			codeRetour: 20099,
			libelle: 'Le paramètre identifiantFactureCPP est obligatoire.',
		});
		// consulter/historique, telecharger/groupe, traiter/recue: idFacture
		assert.equal((await recipient('consulter/historique', { idFacture: id })).status, 200);
		assert.deepEqual(
			(await recipient('consulter/historique', { identifiantFactureCPP: id })).body,
			{ codeRetour: 20099, libelle: 'Le paramètre idFacture est obligatoire.' },
		);
		assert.equal(
			(await recipient('telecharger/groupe', { listeFacture: [{ idFacture: id }], format: 'PDF' }))
				.status,
			200,
		);
		assert.equal(
			(
				await recipient('telecharger/groupe', {
					listeFacture: [{ identifiantFactureCPP: id }],
					format: 'PDF',
				})
			).body.codeRetour,
			20099,
		);
		assert.equal(
			(
				await recipient('traiter/recue', {
					identifiantFactureCPP: id,
					nouveauStatut: 'SERVICE_FAIT',
				})
			).body.codeRetour,
			20099,
		);
		const done = await recipient('traiter/recue', { idFacture: id, nouveauStatut: 'SERVICE_FAIT' });
		assert.equal(done.status, 200, JSON.stringify(done.body));
		assert.equal(done.body.idFacture, id);
	});

	it('gives the history newest first with YYYY-MM-DD HH:mm dates (sample shape)', async () => {
		const id = await submit();
		await advance(id, 'MISE_A_DISPOSITION');
		const h = await t.api(`${F}/consulter/historique`, {
			...sample('factures-consulter-historique.request.json'),
			idFacture: id,
		});
		assert.equal(h.status, 200);
		sameShape(h.body, sample('factures-consulter-historique.response.json'), { exact: true });
		assert.equal(h.body.libelle, 'GCU_MSG_01_000');
		assert.equal(h.body.statutCourantCode, 'MISE_A_DISPOSITION');
		assert.deepEqual(
			h.body.historiquesDesStatuts.histoStatut.map((/** @type {any} */ x) => x.histoStatutCode),
			['MISE_A_DISPOSITION', 'EN_COURS_ACHEMINEMENT', 'DEPOSEE'],
		);
		for (const x of h.body.historiquesDesStatuts.histoStatut)
			assert.match(x.histoStatutDatePassage, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
		const ids = h.body.historiquesDesStatuts.histoStatut.map(
			(/** @type {any} */ x) => x.histoStatutId,
		);
		assert.deepEqual(
			ids,
			[...ids].sort((a, b) => b - a),
		);
		const limited = await t.api(
			`${F}/consulter/historique`,
			{ idFacture: id, nbResultatsMaximum: 1 },
			'recipient',
		);
		assert.equal(limited.body.historiquesDesStatuts.histoStatut.length, 1);
	});

	it('downloads PDF (one → PDF, several → ZIP) and PIVOT, and marks recipient downloads', async () => {
		const a = await submit();
		const b = await submit();
		const one = await t.api(`${F}/telecharger/groupe`, {
			listeFacture: [{ idFacture: a }],
			format: 'PDF',
		});
		assert.equal(one.status, 200);
		sameShape(one.body, sample('factures-telecharger-groupe.response.official.json'), {
			exact: true,
		});
		assert.equal(
			Buffer.from(one.body.fichierResultat, 'base64').subarray(0, 5).toString(),
			'%PDF-',
		);
		const many = await t.api(`${F}/telecharger/groupe`, {
			listeFacture: [{ idFacture: a }, { idFacture: b }],
			format: 'PDF',
			avecPiecesJointesComplementaires: 'NON',
		});
		const zip = Buffer.from(many.body.fichierResultat, 'base64');
		assert.equal(zip.readUInt32LE(0), 0x04034b50);
		const firstName = zip.subarray(30, 30 + zip.readUInt16LE(26)).toString();
		assert.match(firstName, /^[^/]+\/[^/]+\.pdf$/, 'one folder per invoice');
		const firstData = inflateRawSync(
			zip.subarray(
				30 + zip.readUInt16LE(26) + zip.readUInt16LE(28),
				30 + zip.readUInt16LE(26) + zip.readUInt16LE(28) + zip.readUInt32LE(18),
			),
		);
		assert.equal(firstData.subarray(0, 5).toString(), '%PDF-');
		const pivot = await t.api(`${F}/telecharger/groupe`, {
			...sample('factures-telecharger-groupe.request.official.json'),
			listeFacture: [{ idFacture: a }, { idFacture: b }],
		});
		const xml = Buffer.from(pivot.body.fichierResultat, 'base64').toString('utf8');
		assert.match(xml, /^<\?xml/);
		assert.ok(
			xml.includes(`<IdFacture>${a}</IdFacture>`) && xml.includes(`<IdFacture>${b}</IdFacture>`),
		);
		// the deposited Factur-X PDF is given back as is
		await t.admin('/config', { fluxPollsToFinal: 0 });
		const pdf = makeFacturXPdf({ number: num('FXD') });
		const dep = await t.api(`${F}/deposer/flux`, {
			fichierFlux: pdf.toString('base64'),
			nomFichier: 'fx.pdf',
			syntaxeFlux: 'IN_DP_E2_CII_FACTURX',
		});
		const found = await t.api(`${F}/rechercher/fournisseur`, {
			numeroFluxDepot: dep.body.numeroFluxDepot,
		});
		const fxId = found.body.listeFactures[0].identifiantFactureCPP;
		const back = await t.api(`${F}/telecharger/groupe`, {
			listeFacture: [{ idFacture: fxId }],
			format: 'PDF',
		});
		assert.ok(Buffer.from(back.body.fichierResultat, 'base64').equals(pdf));
		// recipient download sets factureTelechargeeParDestinataire
		await advance(a, 'MISE_A_DISPOSITION');
		await t.api(
			`${F}/telecharger/groupe`,
			{ listeFacture: [{ idFacture: a }], format: 'PDF' },
			'recipient',
		);
		const seen = await t.api(
			`${F}/rechercher/recipiendaire`,
			{ numeroFacture: (await t.admin(`/invoices/${a}`)).body.numeroFacture },
			'recipient',
		);
		assert.equal(seen.body.listeFactures[0].factureTelechargeeParDestinataire, true);
		// errors
		assert.equal(
			(await t.api(`${F}/telecharger/groupe`, { listeFacture: [{ idFacture: a }], format: 'XML' }))
				.body.codeRetour,
			20097,
		);
		assert.equal(
			(await t.api(`${F}/telecharger/groupe`, { listeFacture: [], format: 'PDF' })).body.codeRetour,
			20099,
		);
		assert.equal(
			(await t.api(`${F}/telecharger/groupe`, { listeFacture: [{ idFacture: 1 }], format: 'PDF' }))
				.body.codeRetour,
			20000,
		);
		assert.equal(
			(
				await t.api(
					`${F}/telecharger/groupe`,
					{ listeFacture: [{ idFacture: b }], format: 'PDF' },
					'recipient',
				)
			).body.codeRetour,
			20001,
		);
	});

	it('traiter/recue: allowed and refused transitions, mandatory motif', async () => {
		const id = await submit();
		const refusedHidden = await t.api(
			`${F}/traiter/recue`,
			{ idFacture: id, nouveauStatut: 'SERVICE_FAIT' },
			'recipient',
		);
		assert.equal(refusedHidden.body.codeRetour, 20001, 'DEPOSEE is not visible to the recipient');
		await advance(id, 'MISE_A_DISPOSITION');
		assert.equal(
			(await t.api(`${F}/traiter/recue`, { idFacture: id, nouveauStatut: 'SERVICE_FAIT' })).body
				.codeRetour,
			20001,
			'supplier cannot',
		);
		const noMotif = await t.api(
			`${F}/traiter/recue`,
			{ idFacture: id, nouveauStatut: 'REJETEE' },
			'recipient',
		);
		assert.equal(noMotif.status, 400);
		assert.equal(noMotif.body.codeRetour, 20099);
		assert.match(noMotif.body.libelle, /motif/);
		assert.equal(
			(
				await t.api(
					`${F}/traiter/recue`,
					{ idFacture: id, nouveauStatut: 'SUSPENDUE' },
					'recipient',
				)
			).body.codeRetour,
			20099,
		);
		assert.equal(
			(await t.api(`${F}/traiter/recue`, { idFacture: id, nouveauStatut: 'DEPOSEE' }, 'recipient'))
				.body.codeRetour,
			20097,
		);
		assert.equal(
			(await t.api(`${F}/traiter/recue`, { idFacture: id }, 'recipient')).body.codeRetour,
			20099,
		);
		const okr = await t.api(
			`${F}/traiter/recue`,
			{
				...sample('factures-traiter-recue.request.official.json'),
				idFacture: id,
				nouveauStatut: 'SERVICE_FAIT',
				motif: null,
			},
			'recipient',
		);
		assert.equal(okr.status, 200);
		sameShape(okr.body, sample('factures-traiter-recue.response.official.json'));
		assert.equal(okr.body.nouveauStatut, 'SERVICE_FAIT');
		assert.match(okr.body.dateTraitement, /^\d{4}-\d{2}-\d{2}$/);
		assert.equal(
			(
				await t.api(
					`${F}/traiter/recue`,
					{ idFacture: id, nouveauStatut: 'MANDATEE', numeroDPMandat: '2589' },
					'recipient',
				)
			).status,
			200,
		);
		const back = await t.api(
			`${F}/traiter/recue`,
			{ idFacture: id, nouveauStatut: 'SERVICE_FAIT' },
			'recipient',
		);
		assert.equal(back.status, 400);
		assert.equal(back.body.codeRetour, 20002);
		const c = await t.api(`${F}/consulter/fournisseur`, { identifiantFactureCPP: id });
		assert.equal(c.body.facture.references.numeroDpMandat, '2589');
		const rej = await t.api(
			`${F}/traiter/recue`,
			{ idFacture: id, nouveauStatut: 'MISE_EN_PAIEMENT' },
			'recipient',
		);
		assert.equal(rej.status, 200);
		assert.equal(
			(
				await t.api(
					`${F}/traiter/recue`,
					{ idFacture: id, nouveauStatut: 'REJETEE', motif: 'trop tard' },
					'recipient',
				)
			).body.codeRetour,
			20002,
		);
	});

	it('completer: SUSPENDUE → COMPLETEE only, with attachments', async () => {
		const id = await submit();
		const notSusp = await t.api(`${F}/completer`, { identifiantFactureCPP: id, commentaire: 'x' });
		assert.equal(notSusp.status, 400);
		assert.equal(notSusp.body.codeRetour, 20002);
		await advance(id, 'MISE_A_DISPOSITION');
		const s = await t.api(
			`${F}/traiter/recue`,
			{ idFacture: id, nouveauStatut: 'SUSPENDUE', motif: 'Document manquant' },
			'recipient',
		);
		assert.equal(s.status, 200);
		const pj = await t.api('/cpro/transverses/v1/ajouter/fichier', {
			pieceJointeFichier: Buffer.from('bon de commande').toString('base64'),
			pieceJointeNom: 'bon',
			pieceJointeTypeMime: 'text/plain',
			pieceJointeExtension: 'txt',
		});
		const c = await t.api(`${F}/completer`, {
			identifiantFactureCPP: id,
			commentaire: 'Voici le document',
			pieceJointeComplementaire: [
				{
					pieceJointeComplementaireDesignation: 'Bon',
					pieceJointeComplementaireType: 'BON_DE_COMMANDE',
					pieceJointeComplementaireId: pj.body.pieceJointeId,
				},
			],
		});
		assert.equal(c.status, 200, JSON.stringify(c.body));
		assert.deepEqual(Object.keys(c.body).sort(), [
			'codeRetour',
			'dateTraitement',
			'identifiantFactureCPP',
			'libelle',
			'numeroFacture',
		]);
		assert.match(c.body.dateTraitement, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
		const h = await t.api(`${F}/consulter/historique`, { idFacture: id });
		assert.equal(h.body.statutCourantCode, 'COMPLETEE');
		assert.equal(
			h.body.historiquesDesStatuts.histoStatut[1].histoStatutCommentaire,
			'Document manquant',
		);
		// complementary attachment in the ZIP
		const z = await t.api(`${F}/telecharger/groupe`, {
			listeFacture: [{ idFacture: id }],
			format: 'PDF',
			avecPiecesJointesComplementaires: 'OUI',
		});
		assert.ok(Buffer.from(z.body.fichierResultat, 'base64').includes(Buffer.from('/bon.txt')));
		assert.equal(
			(await t.api(`${F}/completer`, { identifiantFactureCPP: 1 })).body.codeRetour,
			20000,
		);
		assert.equal(
			(await t.api(`${F}/completer`, { identifiantFactureCPP: id }, 'recipient')).body.codeRetour,
			20001,
		);
		// COMPLETEE goes back to the recipient
		assert.equal(
			(
				await t.api(
					`${F}/traiter/recue`,
					{ idFacture: id, nouveauStatut: 'SERVICE_FAIT' },
					'recipient',
				)
			).status,
			200,
		);
	});

	it('recycler: A_RECYCLER → DEPOSEE with a new recipient only', async () => {
		const id = await submit();
		const early = await t.api(`${F}/recycler`, {
			identifiantFactureCPP: id,
			destinataire: { codeDestinataire: '12345678200051' },
		});
		assert.equal(early.body.codeRetour, 20002);
		await advance(id, 'MISE_A_DISPOSITION');
		assert.equal(
			(
				await t.api(
					`${F}/traiter/recue`,
					{ idFacture: id, nouveauStatut: 'A_RECYCLER' },
					'recipient',
				)
			).status,
			200,
		);
		assert.equal(
			(
				await t.api(`${F}/recycler`, {
					identifiantFactureCPP: id,
					destinataire: { codeDestinataire: '99999999999999' },
				})
			).body.codeRetour,
			20303,
		);
		assert.equal(
			(
				await t.api(`${F}/recycler`, {
					identifiantFactureCPP: id,
					destinataire: { codeDestinataire: '12345678200028' },
				})
			).body.codeRetour,
			20304,
		);
		assert.equal(
			(await t.api(`${F}/recycler`, { identifiantFactureCPP: id })).body.codeRetour,
			20099,
		);
		const r = await t.api(`${F}/recycler`, {
			...sample('factures-recycler.request.official.json'),
			identifiantFactureCPP: id,
			destinataire: {
				codeDestinataire: '12345678200028',
				codeServiceExecutant: 'SERVICE_DEST_SERV_OBL',
			},
		});
		assert.equal(r.status, 200, JSON.stringify(r.body));
		sameShape(r.body, sample('factures-recycler.response.official.json'), { exact: true });
		assert.equal(r.body.libelle, 'GCU_MSG_01_000');
		assert.equal(r.body.statutFacture, 'DEPOSEE');
		assert.match(r.body.dateDepot, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
		const c = await t.api(`${F}/consulter/fournisseur`, { identifiantFactureCPP: id });
		assert.equal(c.body.facture.destinataire.codeDestinataire, '12345678200028');
		assert.equal(c.body.facture.destinataire.codeServiceExecutant, 'SERVICE_DEST_SERV_OBL');
	});

	it('admin hooks: status, advance, get, bulk validation', async () => {
		const id = await submit();
		const path = [];
		for (;;) {
			const r = await t.admin(`/invoices/${id}/advance`, {});
			if (r.status !== 200) {
				assert.equal(r.status, 409);
				break;
			}
			path.push(r.body.statut);
		}
		assert.deepEqual(path, [
			'EN_COURS_ACHEMINEMENT',
			'MISE_A_DISPOSITION',
			'SERVICE_FAIT',
			'MANDATEE',
			'MISE_EN_PAIEMENT',
		]);
		const s = await t.admin(`/invoices/${id}/status`, {
			statut: 'A_RECYCLER',
			commentaire: 'test',
		});
		assert.equal(s.status, 200);
		assert.equal(s.body.statut, 'A_RECYCLER');
		assert.equal(s.body.commentaireEtatCourant, 'test');
		assert.match(
			s.body.dateHeureEtatCourant,
			/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0[12]:00$/,
		);
		assert.equal((await t.admin(`/invoices/${id}/status`, { statut: 'PAYEE' })).status, 400);
		assert.equal((await t.admin('/invoices/1/status', { statut: 'REJETEE' })).status, 404);
		assert.equal((await t.admin('/invoices/1/advance', {})).status, 404);
		assert.equal((await t.admin('/invoices/1')).status, 404);
		const got = await t.admin(`/invoices/${id}`);
		assert.equal(got.body.idFacture, id);
		assert.equal(got.body.histo.length, 7);
		assert.equal((await t.admin('/invoices/bulk', { count: 0 })).status, 400);
		assert.equal((await t.admin('/invoices/bulk', { count: 1, statut: 'NOPE' })).status, 400);
		assert.equal(
			(await t.admin('/invoices/bulk', { count: 1, destinataireSiret: '1' })).status,
			400,
		);
		const list = await t.admin('/invoices');
		assert.ok(list.body.total >= 1);
		// a flux-created UBL invoice can be advanced too
		await t.admin('/config', { fluxPollsToFinal: 0 });
		const dep = await t.api(`${F}/deposer/flux`, {
			fichierFlux: Buffer.from(makeUblXml({ number: num('ADV') })).toString('base64'),
			nomFichier: 'a.xml',
			syntaxeFlux: 'IN_DP_E1_UBL_INVOICE',
		});
		const inv = (await t.admin(`/invoices?numeroFluxDepot=${dep.body.numeroFluxDepot}`)).body
			.invoices[0];
		assert.equal(
			(await t.admin(`/invoices/${inv.idFacture}/advance`, { until: 'MISE_A_DISPOSITION' })).body
				.statut,
			'MISE_A_DISPOSITION',
		);
		assert.equal(
			(await t.admin(`/invoices/${inv.idFacture}/advance`, { until: 'DEPOSEE' })).status,
			409,
		);
	});
});
