// @ts-check
/**
 * Ready for n8n's verification, checked on this checkout:
 *
 * - `npm pack` holds what users need only (the built nodes, credential, icons, README, licence,
 *   changelog), and everything package.json tells n8n to load;
 * - the release path is the one of n8n's starter: `npm run release` (`n8n-node release`) publishes,
 *   and `prepublishOnly` (`n8n-node prerelease`) stops a bare `npm publish`;
 * - n8n's community-package scanner (`@n8n/scan-community-package`) passes. Its CLI downloads the
 *   published package and the GitHub source its npm provenance names; here its exported
 *   `analyzePackage` runs the same two analyses on local folders: the source (its
 *   `SOURCE_FILE_PATTERNS`: package.json, nodes/, credentials/) and the packed tarball (compiled
 *   `.js` and package.json). A planted violation shows that the analysis does fail;
 * - README links work for npm users (absolute GitHub URLs; the examples and docs are not in the
 *   tarball) and the changelog names the current version.
 *
 * The scanner is installed on first use from test/verification-scanner/ (its pinned lockfile) into
 * the cache folder, with the npm registry as the only network; it is never a dependency of the
 * package. Uses the build in dist/ (built here when missing).
 *
 *   node --test test/verification-package.test.mjs
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
	copyFileSync,
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { cacheRoot, repoRoot } from '../scripts/n8n.mjs';

const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const SCANNER_SOURCE = path.join(repoRoot, 'test', 'verification-scanner');
const work = mkdtempSync(path.join(os.tmpdir(), 'chorus-pro-verification-'));

/**
 * @param {string} command @param {string[]} args
 * @param {import('node:child_process').SpawnSyncOptions} [options]
 */
function run(command, args, options = {}) {
	const result = spawnSync(command, args, {
		cwd: repoRoot,
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
		timeout: 600_000,
		...options,
	});
	return {
		status: result.status,
		output: `${result.stdout ?? ''}${result.stderr ?? ''}`,
		stdout: String(result.stdout ?? ''),
	};
}

/**
 * Installs the scanner from its lockfile into the cache folder, once per lockfile; returns the
 * path of its module.
 */
function ensureScanner() {
	const files = ['package.json', 'package-lock.json'];
	const hash = createHash('sha256');
	for (const file of files) hash.update(readFileSync(path.join(SCANNER_SOURCE, file)));
	const digest = hash.digest('hex').slice(0, 12);
	const dir = path.join(path.dirname(cacheRoot), `scan-community-package-${digest}`);
	const entry = path.join(
		dir,
		'node_modules',
		'@n8n',
		'scan-community-package',
		'scanner',
		'scanner.mjs',
	);
	if (existsSync(path.join(dir, '.ready')) && existsSync(entry)) return entry;
	process.stderr.write(
		`Installing n8n's community-package scanner into ${dir} (first run only)...\n`,
	);
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	for (const file of files) copyFileSync(path.join(SCANNER_SOURCE, file), path.join(dir, file));
	// --ignore-scripts: one of its dependencies runs `npx only-allow pnpm` on install.
	const install = run(
		'npm',
		['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
		{ cwd: dir },
	);
	assert.equal(install.status, 0, `npm ci of the scanner failed:\n${install.output}`);
	writeFileSync(path.join(dir, '.ready'), `${digest}\n`);
	return entry;
}

/**
 * @typedef {{ passed: boolean, message?: string, details?: string }} Analysis
 * @typedef {{
 *   analyzePackage: (dir: string, patterns?: string[]) => Promise<Analysis>,
 *   SOURCE_FILE_PATTERNS: string[],
 * }} Scanner
 */

/** @type {Scanner} */
let scanner;
/** @type {{ path: string }[]} */
let packed = [];
const unpacked = path.join(work, 'package');

before(
	async () => {
		if (!existsSync(path.join(repoRoot, 'dist', 'nodes'))) {
			const build = run('npx', ['n8n-node', 'build']);
			assert.equal(build.status, 0, `npx n8n-node build failed:\n${build.output}`);
		}
		const pack = run('npm', ['pack', '--json', '--pack-destination', work]);
		assert.equal(pack.status, 0, `npm pack failed:\n${pack.output}`);
		const [info] = JSON.parse(pack.stdout);
		packed = info.files;
		mkdirSync(unpacked);
		const untar = run('tar', [
			'-xzf',
			path.join(work, info.filename),
			'-C',
			unpacked,
			'--strip-components=1',
		]);
		assert.equal(untar.status, 0, untar.output);

		const entry = ensureScanner();
		// The scanner makes a temporary folder when it loads: keep it inside this test's folder.
		const tmpdir = process.env.TMPDIR;
		process.env.TMPDIR = work;
		try {
			scanner = /** @type {Scanner} */ (await import(pathToFileURL(entry).href));
		} finally {
			if (tmpdir === undefined) delete process.env.TMPDIR;
			else process.env.TMPDIR = tmpdir;
		}
	},
	{ timeout: 900_000 },
);

after(() => rmSync(work, { recursive: true, force: true }));

test('npm pack holds what users need, and all that n8n loads', () => {
	const names = packed.map((file) => file.path).sort();
	const unexpected = names.filter(
		(name) =>
			!['package.json', 'README.md', 'LICENSE.md', 'CHANGELOG.md'].includes(name) &&
			!/^dist\/(credentials|nodes|icons)\/.+\.(js|json|svg|png)$/.test(name),
	);
	assert.deepEqual(unexpected, [], 'files users do not need (sources, tests, maps, build info)');
	assert.ok(!names.some((name) => /tsbuildinfo|\.map$|\.d\.ts$|test/i.test(name)));
	for (const file of ['package.json', 'README.md', 'LICENSE.md', 'CHANGELOG.md'])
		assert.ok(names.includes(file), `${file} is missing from the tarball`);
	for (const file of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
		assert.ok(names.includes(file), `${file} (package.json "n8n") is missing from the tarball`);
		const codex = file.replace(/\.js$/, '.json');
		if (file.endsWith('.node.js'))
			assert.ok(names.includes(codex), `${codex} (the node's codex) is missing`);
		// Icons named in the compiled description, relative to its file.
		const source = readFileSync(path.join(unpacked, file), 'utf8');
		for (const [, icon] of source.matchAll(/'file:([^']+\.(?:svg|png))'/g)) {
			const iconPath = path.posix.normalize(path.posix.join(path.posix.dirname(file), icon));
			assert.ok(names.includes(iconPath), `${iconPath} (icon of ${file}) is missing`);
		}
	}
});

test('package.json: no runtime dependency, n8n-workflow as the only peer, no install scripts', () => {
	assert.equal(manifest.dependencies, undefined);
	assert.deepEqual(Object.keys(manifest.peerDependencies ?? {}), ['n8n-workflow']);
	for (const script of ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish'])
		assert.equal(manifest.scripts[script], undefined, `lifecycle script "${script}"`);
	assert.equal(manifest.license, 'MIT');
	assert.ok(manifest.keywords.includes('n8n-community-node-package'));
});

test('release: npm run release publishes, the prerelease guard stops a bare npm publish', async () => {
	assert.equal(manifest.scripts.release, 'n8n-node release');
	assert.equal(manifest.scripts.prepublishOnly, 'n8n-node prerelease');
	// A publish from a laptop fails: npm provenance needs the CI (n8n requires provenance).
	assert.equal(manifest.publishConfig?.provenance, true);
	const workflow = readFileSync(path.join(repoRoot, '.github', 'workflows', 'publish.yml'), 'utf8');
	assert.match(workflow, /^\s+(?:- )?run: npm run release$/m, 'publish.yml runs npm run release');
	assert.match(workflow, /id-token: write/);
	assert.doesNotMatch(workflow, /npm publish/);

	// The project's .npmrc turns install scripts off (see README); a publish turns them on.
	/** @type {NodeJS.ProcessEnv} */
	const env = { ...process.env, npm_config_ignore_scripts: 'false' };
	delete env.RELEASE_MODE;
	// A dry run still asks the registry whether the version exists (and fails once it is
	// published): a local registry that knows no package answers instead.
	const registry = createServer((_request, response) => {
		response.writeHead(404, { 'Content-Type': 'application/json' });
		response.end('{"error":"Not found"}');
	});
	await new Promise((resolve) => registry.listen(0, '127.0.0.1', () => resolve(undefined)));
	const address = registry.address();
	const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
	/** @param {NodeJS.ProcessEnv} publishEnv */
	const publish = async (publishEnv) =>
		await new Promise((resolve) => {
			const child = spawn('npm', ['publish', '--dry-run', '--registry', url], {
				cwd: repoRoot,
				env: publishEnv,
			});
			let output = '';
			child.stdout.on('data', (chunk) => (output += chunk));
			child.stderr.on('data', (chunk) => (output += chunk));
			child.on('close', (status) => resolve({ status, output }));
		});
	try {
		const bare = /** @type {{ status: number, output: string }} */ (await publish(env));
		assert.notEqual(bare.status, 0, 'a bare npm publish must be refused');
		assert.match(bare.output, /npm run release/);
		// What `n8n-node release` runs in the publish workflow, minus the upload.
		const release = /** @type {{ status: number, output: string }} */ (
			await publish({ ...env, RELEASE_MODE: 'true' })
		);
		assert.equal(release.status, 0, `the release publish failed:\n${release.output}`);
		assert.match(release.output, /n8n-node prerelease/);
	} finally {
		registry.close();
	}
});

/** @param {Analysis} result */
const report = (result) => `${result.message ?? ''}\n${result.details ?? ''}`;

test("n8n's scanner passes on the source", { timeout: 300_000 }, async () => {
	const result = await scanner.analyzePackage(repoRoot, scanner.SOURCE_FILE_PATTERNS);
	assert.equal(result.passed, true, report(result));
});

test("n8n's scanner passes on the packed tarball", { timeout: 300_000 }, async () => {
	const result = await scanner.analyzePackage(unpacked, ['**/*.js', 'package.json']);
	assert.equal(result.passed, true, report(result));
});

test(
	"n8n's scanner fails on a regression (a planted violation)",
	{ timeout: 300_000 },
	async () => {
		const copy = path.join(work, 'planted');
		for (const entry of ['package.json', 'nodes', 'credentials', 'icons'])
			cpSync(path.join(repoRoot, entry), path.join(copy, entry), { recursive: true });
		writeFileSync(
			path.join(copy, 'nodes', 'ChorusPro', 'shared', 'planted.ts'),
			"export function later(): void {\n\tconsole.log('no');\n\tsetTimeout(() => undefined, 1);\n}\n",
		);
		const result = await scanner.analyzePackage(copy, scanner.SOURCE_FILE_PATTERNS);
		assert.equal(result.passed, false);
		assert.match(result.details ?? '', /planted\.ts/);
		assert.match(result.details ?? '', /no-console/);
		assert.match(result.details ?? '', /no-restricted-globals/);
	},
);

/** GitHub's anchor of a heading. @param {string} heading */
const anchorOf = (heading) =>
	heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.replace(/ /g, '-');

test('README: links work for npm users (absolute GitHub URLs to files that exist)', () => {
	const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
	const repository = String(manifest.repository.url)
		.replace(/^git\+/, '')
		.replace(/\.git$/, '');
	assert.match(repository, /^https:\/\/github\.com\/[^/]+\/[^/]+$/);
	const slug = repository.replace('https://github.com/', '');
	const anchors = new Set(
		[...readme.matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) => anchorOf(heading)),
	);
	const targets = [...readme.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)].map(([, target]) => target);
	assert.ok(targets.length > 10);
	/** @type {string[]} */
	const broken = [];
	for (const target of targets) {
		if (target.startsWith('#')) {
			if (!anchors.has(target.slice(1))) broken.push(`${target} (no such heading)`);
			continue;
		}
		if (!/^https?:\/\//.test(target)) {
			broken.push(`${target} (relative: not in the npm package)`);
			continue;
		}
		const inRepo =
			new RegExp(`^https://github\\.com/${slug}/(?:blob|tree)/main/(.+)$`).exec(target) ??
			new RegExp(`^https://raw\\.githubusercontent\\.com/${slug}/main/(.+)$`).exec(target);
		if (
			inRepo &&
			!existsSync(path.join(repoRoot, decodeURIComponent(inRepo[1].replace(/#.*$/, ''))))
		)
			broken.push(`${target} (no such file in the repository)`);
	}
	assert.deepEqual(broken, []);
	assert.match(readme, new RegExp(`raw\\.githubusercontent\\.com/${slug}/main/docs/[^)]+\\.png`));
});

test('CHANGELOG: the current version and an Unreleased section', () => {
	const changelog = readFileSync(path.join(repoRoot, 'CHANGELOG.md'), 'utf8');
	assert.match(changelog, /^# Changelog/m);
	assert.match(changelog, /^## Unreleased$/m);
	assert.match(changelog, new RegExp(`^## ${manifest.version.replace(/\./g, '\\.')}\\b`, 'm'));
});
