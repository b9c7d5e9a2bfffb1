// @ts-check
/**
 * Tests of the flux services: deposer/flux with every generated document kind, the integration report
 * (consulterCRDetaille / consulterCR), integration outcomes and the flux admin hooks.
 * Run with `node --test test/sandbox/`.
 */
import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { sample, sameShape as sameShapeStrict, startSandbox, num } from './testing-helpers.mjs';
import {
	makeUblXml,
	makeCiiXml,
	makeFacturXPdf,
	makeZip,
	makeTarGz,
	makePdf,
} from '../../sandbox/fixtures.mjs';

/**
 * The API answers null for absent optional values, so here a null in the answer matches any type of the sample.
 * @param {any} actual @param {any} expected @param {{ exact?: boolean }} [opts]
 */
const sameShape = (actual, expected, opts = {}) =>
	sameShapeStrict(actual, expected, { ...opts, nullMatchesAny: true });

const DEPOSER = '/cpro/factures/v1/deposer/flux';
const CR = '/cpro/transverses/v1/consulterCRDetaille';
const CR_PDF = '/cpro/transverses/v1/consulterCR';
const RECHERCHER = '/cpro/factures/v1/rechercher/fournisseur';

/** Offset of Europe/Paris at an instant, `+01:00` or `+02:00`, from Intl. @param {Date} d */
function parisOffset(d) {
	const name =
		new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Paris', timeZoneName: 'longOffset' })
			.formatToParts(d)
			.find((p) => p.type === 'timeZoneName')?.value ?? '';
	return name.replace('GMT', '');
}

/** @param {string} s */
function assertIsoParis(s) {
	assert.match(s, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0[12]:00$/);
	assert.equal(s.slice(-6), parisOffset(new Date(s)));
}

describe('deposer/flux + consulterCRDetaille', () => {
	/** @type {Awaited<ReturnType<typeof startSandbox>>} */
	let t;
	before(async () => {
		t = await startSandbox();
	});
	after(() => t.sb.close());

	/** Deposits and polls until the final state (2 polls by default); returns the last CR. @param {Buffer} file @param {string} syntaxeFlux @param {string} nomFichier */
	async function depositAndPoll(file, syntaxeFlux, nomFichier) {
		const dep = await t.api(DEPOSER, {
			fichierFlux: file.toString('base64'),
			nomFichier,
			syntaxeFlux,
			avecSignature: false,
		});
		assert.equal(dep.status, 200, JSON.stringify(dep.body));
		const first = await t.api(CR, { numeroFluxDepot: dep.body.numeroFluxDepot });
		assert.equal(first.body.etatCourantDepotFlux, 'IN_DEPOT_PORTAIL_EN_ATTENTE_TRAITEMENT_SE_CPP');
		const cr = await t.api(CR, { numeroFluxDepot: dep.body.numeroFluxDepot });
		assert.equal(cr.status, 200);
		return { dep: dep.body, cr: cr.body };
	}

	/** @param {string} flux */
	async function invoicesOf(flux) {
		const r = await t.api(RECHERCHER, { numeroFluxDepot: flux });
		assert.equal(r.status, 200);
		return r.body;
	}

	it('answers the deposit like the sample (numeroFluxDepot layout, today, syntax echo)', async () => {
		const res = await t.api(DEPOSER, {
			fichierFlux: makeFacturXPdf({ number: num('FX') }).toString('base64'),
			nomFichier: 'factur-x_chorus_facture_1.pdf',
			syntaxeFlux: 'IN_DP_E2_CII_FACTURX',
			avecSignature: false,
		});
		assert.equal(res.status, 200);
		sameShape(res.body, sample('factures-deposer-flux.response.json'), { exact: true });
		assert.equal(res.body.libelle, 'GCU_MSG_01_000');
		assert.match(res.body.numeroFluxDepot, /^CPP0011117\d{15}$/);
		assert.equal(res.body.numeroFluxDepot.length, 25);
		assert.match(res.body.dateDepot, /^\d{4}-\d{2}-\d{2}$/);
		assert.equal(res.body.syntaxeFlux, 'IN_DP_E2_CII_FACTURX');
	});

	const kinds = [
		{
			name: 'UBL',
			syntaxe: 'IN_DP_E1_UBL_INVOICE',
			code: '1100',
			file: () => Buffer.from(makeUblXml({ number: num('UBL') })),
			count: 1,
			ext: 'xml',
		},
		{
			name: 'UBL credit note',
			syntaxe: 'IN_DP_E1_UBL_INVOICE',
			code: '1100',
			file: () => Buffer.from(makeUblXml({ number: num('AV'), creditNote: true })),
			count: 1,
			ext: 'xml',
		},
		{
			name: 'CII',
			syntaxe: 'IN_DP_E1_CII_16B',
			code: '1106',
			file: () => Buffer.from(makeCiiXml({ number: num('CII') })),
			count: 1,
			ext: 'xml',
		},
		{
			name: 'Factur-X PDF',
			syntaxe: 'IN_DP_E2_CII_FACTURX',
			code: '1117',
			file: () => makeFacturXPdf({ number: num('FX') }),
			count: 1,
			ext: 'pdf',
		},
		{
			name: 'zip batch of UBL',
			syntaxe: 'IN_DP_E1_UBL_INVOICE',
			code: '1100',
			count: 3,
			ext: 'zip',
			file: () =>
				makeZip(
					[1, 2, 3].map((i) => ({ name: `f${i}.xml`, data: makeUblXml({ number: num('Z') }) })),
				),
		},
		{
			name: 'stored zip batch of CII',
			syntaxe: 'IN_DP_E1_CII_16B',
			code: '1106',
			count: 2,
			ext: 'zip',
			file: () =>
				makeZip(
					[1, 2].map((i) => ({ name: `f${i}.xml`, data: makeCiiXml({ number: num('ZS') }) })),
					{ method: 'store' },
				),
		},
		{
			name: 'tar.gz batch of Factur-X',
			syntaxe: 'IN_DP_E2_CII_FACTURX',
			code: '1117',
			count: 2,
			ext: 'tar.gz',
			file: () =>
				makeTarGz(
					[1, 2].map((i) => ({
						name: `lot/f${i}.pdf`,
						data: makeFacturXPdf({ number: num('T') }),
					})),
				),
		},
	];
	for (const k of kinds) {
		it(`integrates a ${k.name} after the configured polls and creates ${k.count} invoice(s) findable by flux number`, async () => {
			const { dep, cr } = await depositAndPoll(k.file(), k.syntaxe, `lot.${k.ext}`);
			assert.ok(dep.numeroFluxDepot.startsWith(`CPP001${k.code}`));
			assert.equal(cr.etatCourantDepotFlux, 'IN_INTEGRE', JSON.stringify(cr));
			sameShape(cr, sample('transverses-consulter-cr-detaille.response.integre.json'), {
				exact: true,
			});
			assert.equal(cr.codeInterfaceDepotFlux, `FSO${k.code}A`);
			assert.equal(cr.nomFichier, `FSO${k.code}A_CPP001_${dep.numeroFluxDepot}`);
			assert.deepEqual(cr.listeErreurDP, []);
			assertIsoParis(cr.dateDepotFlux);
			assertIsoParis(cr.dateHeureEtatCourantFlux);
			const found = await invoicesOf(dep.numeroFluxDepot);
			assert.equal(found.listeFactures.length, k.count);
			assert.equal(found.parametresRetour.total, k.count);
			for (const f of found.listeFactures) {
				assert.equal(f.statut, 'DEPOSEE');
				assert.equal(f.numeroFluxDepot, dep.numeroFluxDepot);
				assert.equal(typeof f.identifiantFactureCPP, 'number');
				assert.equal(f.typeFacture, k.name.includes('credit') ? 'AVOIR' : 'FACTURE');
			}
			// a further poll keeps the final state
			assert.equal(
				(await t.api(CR, { numeroFluxDepot: dep.numeroFluxDepot })).body.etatCourantDepotFlux,
				'IN_INTEGRE',
			);
		});
	}

	it('rejects a flux whose content does not match the declared syntax (IN_REJETE + listeErreurTechnique)', async () => {
		const { cr } = await depositAndPoll(
			Buffer.from(makeCiiXml({ number: num('MIS') })),
			'IN_DP_E1_UBL_INVOICE',
			'cii.xml',
		);
		assert.equal(cr.etatCourantDepotFlux, 'IN_REJETE');
		sameShape(cr, sample('transverses-consulter-cr-detaille.response.rejete-technique.json'));
		assert.equal(cr.listeErreurTechnique.length, 1);
		assert.equal(cr.listeErreurTechnique[0].codeErreur, 'ERR_XSD_001');
		assert.match(
			cr.listeErreurTechnique[0].libelleErreur,
			/^IRRECEVABILITE: .*CrossIndustryInvoice/,
		);
		assert.equal(typeof cr.listeErreurTechnique[0].natureErreur, 'string');
	});

	it('rejects unreadable files: a plain PDF as Factur-X, a UBL as Factur-X, a PDF inside a UBL batch', async () => {
		let r = await depositAndPoll(makePdf('no xml'), 'IN_DP_E2_CII_FACTURX', 'plain.pdf');
		assert.equal(r.cr.etatCourantDepotFlux, 'IN_REJETE');
		assert.match(r.cr.listeErreurTechnique[0].libelleErreur, /factur-x\.xml/);
		r = await depositAndPoll(Buffer.from(makeUblXml()), 'IN_DP_E2_CII_FACTURX', 'ubl.xml');
		assert.equal(r.cr.etatCourantDepotFlux, 'IN_REJETE');
		r = await depositAndPoll(
			makeZip({ 'a.xml': makeUblXml({ number: num('OK') }), 'b.pdf': makePdf('x') }),
			'IN_DP_E1_UBL_INVOICE',
			'lot.zip',
		);
		assert.equal(r.cr.etatCourantDepotFlux, 'IN_REJETE');
		assert.equal(r.cr.listeErreurTechnique.length, 1);
		assert.match(r.cr.listeErreurTechnique[0].libelleErreur, /b\.pdf/);
		assert.equal(
			(await t.api(RECHERCHER, { numeroFluxDepot: r.dep.numeroFluxDepot })).body.codeRetour,
			20000,
		);
	});

	it('integrates a batch partially when one invoice is bad (IN_INTEGRE_PARTIEL, listeErreurDP names it)', async () => {
		const bad = num('BAD');
		const good = [num('G'), num('G')];
		const file = makeTarGz([
			{ name: 'a.xml', data: makeUblXml({ number: good[0] }) },
			{ name: 'b.xml', data: makeUblXml({ number: bad, recipientSiret: '99999999999999' }) },
			{ name: 'c.xml', data: makeUblXml({ number: good[1] }) },
		]);
		const { dep, cr } = await depositAndPoll(file, 'IN_DP_E1_UBL_INVOICE', 'lot.tar.gz');
		assert.equal(cr.etatCourantDepotFlux, 'IN_INTEGRE_PARTIEL');
		sameShape(
			cr,
			sample('transverses-consulter-cr-detaille.response.integre-partiel.official.json'),
			{ exact: true },
		);
		assert.equal(cr.listeErreurDP.length, 1);
		assert.deepEqual(
			{ ...cr.listeErreurDP[0], libelleErreurDP: undefined },
			{
				numeroDP: bad,
				identifiantFournisseur: '73442027438548',
				identifiantDestinataire: '99999999999999',
				libelleErreurDP: undefined,
			},
		);
		assert.match(
			cr.listeErreurDP[0].libelleErreurDP,
			/AccountingCustomerParty\.Party\.PartyIdentification\.ID\.value\) n'est pas reference dans notre systeme/,
		);
		const found = await invoicesOf(dep.numeroFluxDepot);
		assert.deepEqual(
			found.listeFactures.map((/** @type {any} */ f) => f.numeroFacture).sort(),
			[...good].sort(),
		);
	});

	it('checks each invoice against the recipient, the supplier and the existing invoices', async () => {
		const dup = num('DUP');
		await depositAndPoll(Buffer.from(makeCiiXml({ number: dup })), 'IN_DP_E1_CII_16B', 'a.xml');
		/** @type {[string, Record<string, any>, RegExp][]} */
		const cases = [
			['service required', { recipientSiret: '12345678200028' }, /code service .*est obligatoire/],
			[
				'unknown service',
				{ recipientSiret: '12345678200028', serviceCode: 'NOPE' },
				/n'existe pas/,
			],
			[
				'inactive service',
				{ recipientSiret: '12345678200028', serviceCode: 'SERVICE_INACTIF' },
				/n'est pas actif/,
			],
			['EJ required', { recipientSiret: '12345678200036' }, /engagement juridique.*obligatoire/],
			[
				'EJ required by the service',
				{ recipientSiret: '12345678200028', serviceCode: 'SERVICE_EJ_OBL' },
				/engagement juridique.*obligatoire pour le service/,
			],
			[
				'EJ or service',
				{ recipientSiret: '12345678200044' },
				/code service ou le numéro d'engagement/,
			],
			['inactive recipient', { recipientSiret: '12345678200077' }, /n'est pas actif/],
			[
				'unknown supplier',
				{ supplierSiret: '11111111111111' },
				/identifiant fournisseur .*SellerTradeParty.*n'est pas reference/,
			],
			[
				'supplier of another account',
				{ supplierSiret: '00000000012887' },
				/n'est pas rattaché au compte/,
			],
			['duplicate number', { number: dup }, /existe déjà/],
			['inconsistent amounts', { amountTTC: 1 }, /montant TTC/],
		];
		const docs = cases.map(([, opts], i) => ({
			name: `${i}.xml`,
			data: makeCiiXml({ number: num('E'), ...opts }),
		}));
		const { cr } = await depositAndPoll(makeZip(docs), 'IN_DP_E1_CII_16B', 'errors.zip');
		assert.equal(cr.etatCourantDepotFlux, 'IN_REJETE', 'every invoice in error');
		assert.equal(cr.listeErreurDP.length, cases.length);
		cases.forEach(([label, opts, re], i) => {
			const e = cr.listeErreurDP[i];
			assert.match(e.libelleErreurDP, re, label);
			if (!opts.number) assert.notEqual(e.numeroDP, dup);
		});
		// the same number twice in one flux: the second one is a duplicate
		const twice = num('TW');
		const r = await depositAndPoll(
			makeZip({ 'a.xml': makeUblXml({ number: twice }), 'b.xml': makeUblXml({ number: twice }) }),
			'IN_DP_E1_UBL_INVOICE',
			'tw.zip',
		);
		assert.equal(r.cr.etatCourantDepotFlux, 'IN_INTEGRE_PARTIEL');
		assert.equal(r.cr.listeErreurDP[0].numeroDP, twice);
	});

	it('accepts a recipient with its requirements met (service + EJ)', async () => {
		const { dep, cr } = await depositAndPoll(
			Buffer.from(
				makeUblXml({
					number: num('ETAT'),
					recipientSiret: '12345678200069',
					serviceCode: 'SERVICE_ETAT',
					ej: 'EJ-ETAT-0001',
				}),
			),
			'IN_DP_E1_UBL_INVOICE',
			'etat.xml',
		);
		assert.equal(cr.etatCourantDepotFlux, 'IN_INTEGRE');
		const f = (await invoicesOf(dep.numeroFluxDepot)).listeFactures[0];
		assert.equal(f.codeServiceExecutant, 'SERVICE_ETAT');
		assert.equal(f.codeDestinataire, '12345678200069');
		assert.equal(f.idDestinataire, 25784156);
	});

	it("answers an unknown flux with 20001 POQ_MSG_01.003 (sample) and hides other accounts' flux", async () => {
		const r = await t.api(CR, { numeroFluxDepot: 'CPP0011117999999999999999' });
		assert.equal(r.status, 400);
		assert.deepEqual(
			r.body,
			sample('transverses-consulter-cr-detaille.response.flux-introuvable.json'),
		);
		const dep = await t.api(DEPOSER, {
			fichierFlux: Buffer.from(makeUblXml()).toString('base64'),
			nomFichier: 'a.xml',
			syntaxeFlux: 'IN_DP_E1_UBL_INVOICE',
		});
		const other = await t.api(CR, { numeroFluxDepot: dep.body.numeroFluxDepot }, 'recipient');
		assert.equal(other.status, 400);
		assert.equal(other.body.codeRetour, 20001);
		const missing = await t.api(CR, {});
		assert.equal(missing.status, 400);
		assert.equal(missing.body.codeRetour, 20099);
	});

	it('validates the deposit request', async () => {
		const file = Buffer.from(makeUblXml()).toString('base64');
		/** @type {[any, number, RegExp][]} */
		const cases = [
			[{ nomFichier: 'a.xml', syntaxeFlux: 'IN_DP_E1_UBL_INVOICE' }, 20099, /fichierFlux/],
			[
				{ fichierFlux: 'not base64!', nomFichier: 'a.xml', syntaxeFlux: 'IN_DP_E1_UBL_INVOICE' },
				20097,
				/base 64/,
			],
			[{ fichierFlux: file, syntaxeFlux: 'IN_DP_E1_UBL_INVOICE' }, 20099, /nomFichier/],
			[
				{
					fichierFlux: file,
					nomFichier: `${'x'.repeat(201)}.xml`,
					syntaxeFlux: 'IN_DP_E1_UBL_INVOICE',
				},
				20097,
				/nomFichier/,
			],
			[{ fichierFlux: file, nomFichier: 'a.xml' }, 20099, /syntaxeFlux/],
			[
				{ fichierFlux: file, nomFichier: 'a.xml', syntaxeFlux: 'IN_DP_E2_FACTURX' },
				20097,
				/IN_DP_E2_FACTURX/,
			],
		];
		for (const [body, code, re] of cases) {
			const r = await t.api(DEPOSER, body);
			assert.equal(r.status, 400, JSON.stringify(body).slice(0, 80));
			assert.equal(r.body.codeRetour, code);
			assert.match(r.body.libelle, re);
		}
	});

	it('consulterCR answers with its own key names and a PDF report', async () => {
		const dep = await t.api(DEPOSER, {
			fichierFlux: Buffer.from(makeUblXml({ number: num('CR') })).toString('base64'),
			nomFichier: 'cr.xml',
			syntaxeFlux: 'IN_DP_E1_UBL_INVOICE',
		});
		const req = {
			...sample('transverses-consulter-cr.request.json'),
			numeroFluxDepot: dep.body.numeroFluxDepot,
		};
		await t.api(CR_PDF, req);
		const r = await t.api(CR_PDF, req);
		assert.equal(r.status, 200);
		assert.deepEqual(Object.keys(r.body).sort(), [
			'codeAppliPartenaire',
			'codeInterfaceFlux',
			'codeRetour',
			'dateDepotFlux',
			'dateHeureEtatCourantFlux',
			'designationPartenaire',
			'etatCourantFlux',
			'fichierCR',
			'libelle',
			'nomFichierFlux',
			'numeroFluxDepot',
		]);
		assert.equal(r.body.etatCourantFlux, 'IN_INTEGRE');
		assert.equal(r.body.nomFichierFlux, 'cr.xml');
		assert.equal(Buffer.from(r.body.fichierCR, 'base64').subarray(0, 5).toString(), '%PDF-');
	});
});

describe('flux polling configuration and admin hooks', () => {
	/** @type {Awaited<ReturnType<typeof startSandbox>>} */
	let t;
	before(async () => {
		t = await startSandbox({ fluxPollsToFinal: 3 });
	});
	after(() => t.sb.close());
	beforeEach(async () => {
		await t.admin('/config', { fluxPollsToFinal: 3 });
	});

	/** @param {Buffer} [file] */
	async function deposit(file = Buffer.from(makeUblXml({ number: num('A') }))) {
		const r = await t.api(DEPOSER, {
			fichierFlux: file.toString('base64'),
			nomFichier: 'a.xml',
			syntaxeFlux: 'IN_DP_E1_UBL_INVOICE',
		});
		return /** @type {string} */ (r.body.numeroFluxDepot);
	}
	/** @param {string} numero */
	const poll = async (numero) => (await t.api(CR, { numeroFluxDepot: numero })).body;

	it('goes through the waiting and processing states before the final one', async () => {
		const numero = await deposit();
		const states = [];
		for (let i = 0; i < 4; i++) states.push((await poll(numero)).etatCourantDepotFlux);
		assert.deepEqual(states, [
			'IN_DEPOT_PORTAIL_EN_ATTENTE_TRAITEMENT_SE_CPP',
			'IN_EN_COURS_TRAITEMENT_CPP',
			'IN_INTEGRE',
			'IN_INTEGRE',
		]);
	});

	it('with fluxPollsToFinal 0 the flux is final at deposit', async () => {
		await t.admin('/config', { fluxPollsToFinal: 0 });
		const numero = await deposit();
		assert.equal(
			(await t.api(RECHERCHER, { numeroFluxDepot: numero })).body.listeFactures.length,
			1,
		);
		assert.equal((await poll(numero)).etatCourantDepotFlux, 'IN_INTEGRE');
	});

	it('forces IN_REJETE on a valid flux (no invoice created)', async () => {
		const numero = await deposit();
		const r = await t.admin(`/flux/${numero}/outcome`, {
			etat: 'IN_REJETE',
			listeErreurTechnique: [{ codeErreur: 'ERR_XSD_001', libelleErreur: 'IRRECEVABILITE: forcé' }],
		});
		assert.equal(r.status, 200);
		for (let i = 0; i < 3; i++) await poll(numero);
		const cr = await poll(numero);
		assert.equal(cr.etatCourantDepotFlux, 'IN_REJETE');
		assert.equal(cr.listeErreurTechnique[0].libelleErreur, 'IRRECEVABILITE: forcé');
		assert.equal((await t.api(RECHERCHER, { numeroFluxDepot: numero })).body.codeRetour, 20000);
	});

	it('forces IN_INTEGRE_PARTIEL naming one invoice of a batch, immediately', async () => {
		const a = num('PA');
		const b = num('PB');
		const numero = await deposit(
			makeZip({ 'a.xml': makeUblXml({ number: a }), 'b.xml': makeUblXml({ number: b }) }),
		);
		const r = await t.admin(`/flux/${numero}/outcome`, {
			etat: 'IN_INTEGRE_PARTIEL',
			listeErreurDP: [{ numeroDP: b, libelleErreurDP: 'Refusée pour le test.' }],
			immediate: true,
		});
		assert.equal(r.status, 200);
		assert.equal(r.body.etat, 'IN_INTEGRE_PARTIEL');
		const cr = await poll(numero);
		assert.equal(cr.etatCourantDepotFlux, 'IN_INTEGRE_PARTIEL');
		assert.deepEqual(cr.listeErreurDP, [
			{
				numeroDP: b,
				identifiantFournisseur: '73442027438548',
				identifiantDestinataire: '00000000012887',
				libelleErreurDP: 'Refusée pour le test.',
			},
		]);
		const found = (await t.api(RECHERCHER, { numeroFluxDepot: numero })).body.listeFactures;
		assert.deepEqual(
			found.map((/** @type {any} */ f) => f.numeroFacture),
			[a],
		);
		// final now: a new outcome is refused
		assert.equal((await t.admin(`/flux/${numero}/outcome`, { etat: 'IN_REJETE' })).status, 409);
	});

	it('forces IN_INCIDENTE, processes a flux at once, shows it, and refuses bad input', async () => {
		const numero = await deposit();
		await t.admin(`/flux/${numero}/outcome`, { etat: 'IN_INCIDENTE' });
		const processed = await t.admin(`/flux/${numero}/process`, {});
		assert.equal(processed.body.etat, 'IN_INCIDENTE');
		assert.equal(processed.body.final, true);
		assert.equal((await poll(numero)).etatCourantDepotFlux, 'IN_INCIDENTE');
		const shown = await t.admin(`/flux/${numero}`);
		assert.equal(shown.status, 200);
		assert.equal(shown.body.documents.length, 1);
		assert.equal((await t.admin('/flux/CPP0011100000000000000999')).status, 404);
		assert.equal((await t.admin('/flux/CPP0011100000000000000999/process', {})).status, 404);
		assert.equal(
			(await t.admin(`/flux/${await deposit()}/outcome`, { etat: 'IN_NIMPORTE_QUOI' })).status,
			400,
		);
		const list = await t.admin('/flux');
		assert.ok(list.body.flux.some((/** @type {any} */ f) => f.numeroFluxDepot === numero));
	});

	it('uses the sandbox clock (admin clock shift) for the report dates', async () => {
		const numero = await deposit();
		await t.admin('/clock', { advanceSeconds: 183 * 86400 });
		await t.admin(`/flux/${numero}/process`, {});
		await t.admin('/clock', { advanceSeconds: -183 * 86400 }); // back, so that the token is valid again
		const cr = await poll(numero);
		assertIsoParis(cr.dateHeureEtatCourantFlux);
		assert.ok(
			Date.parse(cr.dateHeureEtatCourantFlux) - Date.parse(cr.dateDepotFlux) > 180 * 86400_000,
		);
	});
});
