/**
 * The README's Reliability table is checked against the suite: each row names a test (file and
 * title) that must exist, so the table cannot promise what no test proves.
 */
const section = repositoryText('README.md').split('## Reliability')[1]?.split('\n## ')[0] ?? '';
const rows = section
	.split('\n')
	.filter(
		(line) => line.startsWith('| ') && !line.startsWith('| Fault') && !line.startsWith('|---'),
	)
	.map((line) => {
		const cells = line.split(' | ');
		const reference = cells[cells.length - 1].replace(/ \|$/, '');
		const match = /^`([\w.-]+\.test\.ts)` › (.+)$/.exec(reference);
		return { fault: cells[0].replace(/^\| /, ''), file: match?.[1], title: match?.[2] };
	});

describe('README › Reliability', () => {
	it('has a row for each kind of fault of the suite', () => {
		expect(rows.length).toBeGreaterThanOrEqual(20);
	});

	it.each(rows.map((row) => [row.fault, row]))(
		'"%s" names a test that exists',
		(_fault, { file, title }) => {
			expect(file).toBeDefined();
			const source = repositoryText(`test/${file}`);
			const quoted = [`'${title}'`, `\`${title}\``, `"${title}"`];
			expect(quoted.some((text) => source.includes(text))).toBe(true);
		},
	);
});
