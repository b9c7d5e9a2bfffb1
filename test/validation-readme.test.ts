import { RULES } from '../nodes/ChorusPro/shared/validation/rules';

/**
 * The README's "Validation rules" list renders the rules table (shared/validation/rules.ts): one
 * line per rule, in the table's order, `- \`id\` (term, warning) — what is checked`.
 */
const section =
	repositoryText('README.md')
		.split('#### Validation rules')[1]
		?.split(/\n#{2,4} /)[0] ?? '';
const listed = section
	.split('\n')
	.filter((line) => line.startsWith('- `'))
	.map((line) => {
		const match = /^- `([\w-]+)`(?: \(([^)]*)\))? — (.+)$/.exec(line);
		const labels = match?.[2]?.split(', ') ?? [];
		return {
			id: match?.[1],
			term: labels.find((label) => /^B[TG]-\d+$/.test(label)) ?? null,
			severity: labels.includes('warning') ? 'warning' : 'error',
			check: match?.[3],
		};
	});

describe('README › Validation rules', () => {
	it('lists every rule of the table, in its order, with its term, severity and check', () => {
		expect(listed).toEqual(
			RULES.map(({ id, term, severity, check }) => ({ id, term, severity, check })),
		);
	});

	it('separates the rules read in the file from those checked against Chorus Pro', () => {
		const [inFile, againstChorus] = section.split('\nAgainst Chorus Pro');
		const ids = (text: string) => [...text.matchAll(/^- `([\w-]+)`/gm)].map(([, id]) => id);
		expect(ids(inFile)).toEqual(
			RULES.filter((rule) => rule.group === 'file').map((rule) => rule.id),
		);
		expect(ids(againstChorus)).toEqual(
			RULES.filter((rule) => rule.group === 'chorus').map((rule) => rule.id),
		);
	});
});
