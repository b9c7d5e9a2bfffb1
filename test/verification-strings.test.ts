import type {
	INodeProperties,
	INodePropertyCollection,
	INodePropertyOptions,
	INodeTypeDescription,
} from 'n8n-workflow';

import { ChorusPro } from '../nodes/ChorusPro/ChorusPro.node';
import { ChorusProTrigger } from '../nodes/ChorusProTrigger/ChorusProTrigger.node';
import { TestInstance } from './engine/run';
import { clearLog, loggedRequests, resetSandbox, sandboxCredential } from './support/sandbox';

/**
 * n8n's verification asks for an English-only interface: the Chorus Pro (French) names of services,
 * fields and codes belong in the README, not in the editor. This walks the node descriptions as n8n
 * serves them to the editor and fails on any text a user reads there that has French in it.
 */

/**
 * French words met in Chorus Pro's vocabulary (API names, codes, glosses), written without
 * accents; words that are English too (service, structure, mode, motif, depot, piece...) are left
 * out, accented letters are caught on their own.
 */
const FRENCH_WORDS = new Set([
	'acompte',
	'annuaire',
	'avec',
	'bancaire',
	'bancaires',
	'brouillon',
	'cadre',
	'complementaires',
	'completer',
	'comptabilisee',
	'compte',
	'consulter',
	'coordonnees',
	'cotraitant',
	'decompte',
	'definitif',
	'demande',
	'deposee',
	'deposer',
	'des',
	'destinataire',
	'detaille',
	'du',
	'espece',
	'et',
	'etat',
	'exoneration',
	'facture',
	'factures',
	'facturation',
	'fait',
	'fichier',
	'fournisseur',
	'frais',
	'historique',
	'identifiant',
	'jointe',
	'jointes',
	'juridique',
	'la',
	'le',
	'les',
	'libelle',
	'ligne',
	'lignes',
	'mandat',
	'mandatee',
	'marche',
	'memoire',
	'mes',
	'montant',
	'nom',
	'nouveau',
	'numero',
	'objet',
	'ou',
	'paiement',
	'poste',
	'prelevement',
	'privee',
	'privees',
	'projet',
	'publique',
	'raison',
	'rechercher',
	'recue',
	'rejetee',
	'rendu',
	'restreindre',
	'saisie',
	'sociale',
	'soumettre',
	'soustraitant',
	'statut',
	'suspendue',
	'syntaxe',
	'taux',
	'telecharger',
	'traiter',
	'travaux',
	'virement',
]);

const ACCENTED = /[àâäçéèêëîïôöùûüÿœæ]/i;

/** The French in a text: accented letters, and French words (also inside camelCase or CODE_NAMES). */
function frenchIn(text: string): string[] {
	const readable = text
		.replace(/<[^>]*>/g, ' ')
		.replace(/https?:\/\/\S+/g, ' ')
		.replace(/([a-z])([A-Z])/g, '$1 $2')
		.replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
	const found = new Set<string>();
	for (const word of readable.split(/[^A-Za-zÀ-ÿœæŒÆ]+/).filter(Boolean)) {
		const plain = word
			.normalize('NFD')
			.replace(/[\u0300-\u036f]/g, '')
			.toLowerCase();
		if (ACCENTED.test(word) || FRENCH_WORDS.has(plain)) found.add(word);
	}
	return [...found];
}

interface Shown {
	where: string;
	text: string;
}

/** Every text the editor shows for a parameter, its options, collections and locator modes. */
function shownTexts(property: INodeProperties, path: string): Shown[] {
	const where = `${path}${property.name}`;
	const texts: Shown[] = [];
	const add = (key: string, value: unknown) => {
		if (typeof value === 'string' && value) texts.push({ where: `${where} ${key}`, text: value });
	};
	add('displayName', property.displayName);
	add('description', property.description);
	add('hint', property.hint);
	add('placeholder', property.placeholder);
	add('multipleValueButtonText', property.typeOptions?.multipleValueButtonText);
	for (const mode of property.modes ?? []) {
		add(`mode ${mode.name} displayName`, mode.displayName);
		add(`mode ${mode.name} placeholder`, mode.placeholder);
		add(`mode ${mode.name} hint`, mode.hint);
		for (const validation of mode.validation ?? []) {
			if (typeof validation === 'object' && 'properties' in validation)
				add(
					`mode ${mode.name} validation`,
					(validation.properties as { errorMessage?: string }).errorMessage,
				);
		}
	}
	for (const option of property.options ?? []) {
		if ('type' in option) {
			// A parameter of a collection: its name is a key the user never reads.
			texts.push(...shownTexts(option, `${where} › `));
		} else if ('values' in option) {
			const group = option as INodePropertyCollection;
			add(`group ${group.name} displayName`, group.displayName);
			for (const value of group.values) texts.push(...shownTexts(value, `${where} › `));
		} else {
			const choice = option as INodePropertyOptions;
			add(`option ${String(choice.value)} name`, choice.name);
			add(`option ${String(choice.value)} description`, choice.description);
			add(`option ${String(choice.value)} action`, choice.action);
		}
	}
	return texts;
}

function descriptionTexts(description: INodeTypeDescription): Shown[] {
	const node = description.name;
	const texts: Shown[] = [
		{ where: `${node} displayName`, text: description.displayName },
		{ where: `${node} description`, text: description.description },
		{ where: `${node} defaults.name`, text: String(description.defaults.name ?? '') },
		{ where: `${node} subtitle`, text: description.subtitle ?? '' },
	];
	for (const property of description.properties) texts.push(...shownTexts(property, `${node}: `));
	return texts;
}

const nodes = {
	ChorusPro: new ChorusPro().description,
	ChorusProTrigger: new ChorusProTrigger().description,
};

describe('English-only interface (n8n verification)', () => {
	it('finds the French it is meant to find', () => {
		expect(frenchIn('Send the file (déposer flux)')).toEqual(['déposer']);
		expect(frenchIn('Cadre de facturation: A1')).toEqual(['Cadre', 'facturation']);
		expect(frenchIn('Mémoire de frais de justice')).toEqual(['Mémoire', 'frais']);
		expect(frenchIn('Chorus Pro ID (identifiantFactureCPP)')).toEqual(['identifiant', 'Facture']);
		expect(frenchIn('Paid (MISE_EN_PAIEMENT)')).toEqual(['PAIEMENT']);
		expect(
			frenchIn(
				'UN/CEFACT Cross Industry Invoice, EN 16931, SIRET, Factur-X, <a href="https://docs.n8n.io/facture">expression</a>',
			),
		).toEqual([]);
	});

	it.each(Object.entries(nodes))(
		'%s: every text of the editor is English',
		(_name, description) => {
			const texts = descriptionTexts(description);
			expect(texts.length).toBeGreaterThan(20);
			const french = texts
				.map(({ where, text }) => ({ where, text, french: frenchIn(text) }))
				.filter((entry) => entry.french.length > 0);
			expect(french).toEqual([]);
		},
	);

	describe('dropdowns loaded from Chorus Pro', () => {
		let n8n: TestInstance;

		beforeAll(async () => {
			await resetSandbox();
			n8n = new TestInstance(sandboxCredential());
		});

		beforeEach(clearLog);

		const load = async (method: string) =>
			await n8n.callMethod<INodePropertyOptions[]>('loadOptions', method, {
				resource: 'invoice',
				operation: 'submit',
			});

		it.each(['getInvoicingFrames', 'getPaymentModes', 'getVatRates', 'getCurrencies'])(
			'%s: names in English (the values stay Chorus Pro codes)',
			async (method) => {
				const options = await load(method);
				expect(options.length).toBeGreaterThan(1);
				expect(options.filter((option) => frenchIn(option.name).length)).toEqual([]);
			},
		);

		it('invoicing frames and payment modes: English names, Chorus Pro codes as values', async () => {
			expect(await load('getInvoicingFrames')).toContainEqual({
				name: 'A1: Supplier invoice',
				value: 'A1_FACTURE_FOURNISSEUR',
			});
			expect(await load('getPaymentModes')).toContainEqual({
				name: 'Credit transfer',
				value: 'VIREMENT',
			});
		});

		it.each([
			['getAttachmentTypes', '/recuperer/typespj'],
			['getVatExemptionReasons', '/recuperer/motifs/exonerationtva'],
			['getVatRates', '/recuperer/tauxtva'],
			['getCurrencies', '/recuperer/devises'],
		])('%s asks Chorus Pro for English labels', async (method, path) => {
			await load(method);
			const call = (await loggedRequests()).find((request) => request.path.endsWith(path));
			expect(call?.body).toMatchObject({ codeLangue: 'EN' });
		});

		it('attachment types come in English', async () => {
			const options = await load('getAttachmentTypes');
			expect(options).toContainEqual({ name: 'Standard attachment', value: 'DIVERS' });
			expect(options.filter((option) => frenchIn(option.name).length)).toEqual([]);
		});
	});
});
