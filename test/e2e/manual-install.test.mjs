// @ts-check
/**
 * The README's manual install, run as written on the packed tarball, in each n8n line of the
 * matrix: it must give what n8n's own community-package installer gives — the package alone in
 * `~/.n8n/nodes/node_modules`, with no second `n8n-workflow` (n8n's installer drops the peer
 * dependency; the package then uses n8n's own copy) — and n8n must load it from there under its
 * package name (`n8n-nodes-chorus-pro.chorusPro`, not as a custom extension) and run it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
	createInstance,
	matrixVersions,
	N8N_VERSION,
	repoRoot,
	sandboxCredential,
	workDir,
} from '../../scripts/n8n.mjs';
import { createSandbox } from '../../sandbox/server.mjs';

const PACKAGE = 'n8n-nodes-chorus-pro';

/** The `npm install …` line of the README's manual install, as words. */
function documentedInstall() {
	const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
	const section = readme.split(/^### Manual install/m)[1] ?? '';
	const block = /```(?:bash|sh)?\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
	const line = block
		.split('\n')
		.map((text) => text.replace(/#.*$/, '').trim())
		.find((text) => text.startsWith('npm install') || text.startsWith('npm i '));
	assert.ok(line, 'README: no npm install line in "Manual install"');
	const words = line.split(/\s+/);
	assert.ok(words.includes(PACKAGE), `README: "${line}" does not install ${PACKAGE}`);
	return words;
}

/** Every package folder under a node_modules folder (scoped ones included), recursively. @param {string} dir @returns {string[]} */
function packagesUnder(dir) {
	if (!existsSync(dir)) return [];
	/** @type {string[]} */
	const found = [];
	for (const name of readdirSync(dir)) {
		if (name.startsWith('.')) continue;
		const full = path.join(dir, name);
		if (name.startsWith('@')) {
			for (const scoped of readdirSync(full))
				found.push(`${name}/${scoped}`, ...packagesUnder(path.join(full, scoped, 'node_modules')));
		} else found.push(name, ...packagesUnder(path.join(full, 'node_modules')));
	}
	return found;
}

/** @type {string} */
let tarball;
const packWork = workDir('e2e-manual-install');

before(() => {
	assert.ok(
		existsSync(path.join(repoRoot, 'dist', 'nodes')),
		'build the package first (npm run build)',
	);
	rmSync(packWork, { recursive: true, force: true });
	mkdirSync(packWork, { recursive: true });
	const pack = spawnSync('npm', ['pack', '--pack-destination', packWork, '--silent'], {
		cwd: repoRoot,
		encoding: 'utf8',
	});
	assert.equal(pack.status, 0, pack.stderr);
	tarball = path.join(packWork, pack.stdout.trim().split('\n').at(-1) ?? '');
	assert.ok(existsSync(tarball), tarball);
});

for (const version of matrixVersions()) {
	describe(`the README's manual install, in n8n ${version}`, { timeout: 600_000 }, () => {
		const work = path.join(packWork, version === N8N_VERSION ? 'default' : version);
		const home = path.join(work, 'home');
		/** n8n's folder for community packages (InstanceSettings.nodesDownloadDir). */
		const nodesDir = path.join(home, '.n8n', 'nodes');
		/** @type {Awaited<ReturnType<typeof createSandbox>>} */
		let sandbox;

		before(async () => {
			sandbox = await createSandbox({ port: 0 });
		});
		after(async () => {
			await sandbox?.close();
		});

		it("installs the package alone, as n8n's installer does: no second n8n-workflow", () => {
			mkdirSync(nodesDir, { recursive: true });
			const [command, ...args] = documentedInstall().map((word) =>
				word === PACKAGE ? tarball : word,
			);
			const install = spawnSync(command, [...args, '--no-audit', '--no-fund'], {
				cwd: nodesDir,
				encoding: 'utf8',
				timeout: 300_000,
			});
			assert.equal(install.status, 0, `${install.stdout}${install.stderr}`);
			assert.deepEqual(packagesUnder(path.join(nodesDir, 'node_modules')), [PACKAGE]);
			const installed = JSON.parse(
				readFileSync(path.join(nodesDir, 'node_modules', PACKAGE, 'package.json'), 'utf8'),
			);
			assert.deepEqual(installed.dependencies ?? {}, {}, 'no runtime dependency');
		});

		it('n8n loads it from ~/.n8n/nodes under its package name and runs it', async () => {
			const n8n = await createInstance({
				home,
				// Nothing as a custom extension: the package must come from ~/.n8n/nodes.
				extensionDir: path.join(work, 'no-extension'),
				version,
				env: { N8N_COMMUNITY_PACKAGES_ENABLED: 'true' },
			});
			mkdirSync(path.join(work, 'no-extension'), { recursive: true });
			await n8n.importCredentials([sandboxCredential(sandbox)]);
			const credentials = {
				chorusProApi: { id: 'chorus-pro-sandbox', name: 'Chorus Pro sandbox' },
			};
			await n8n.importWorkflows([
				{
					id: 'e2eManualInstall',
					name: 'e2eManualInstall',
					active: false,
					settings: { executionOrder: 'v1' },
					nodes: [
						{
							id: 's',
							name: 'Start',
							type: 'n8n-nodes-base.manualTrigger',
							typeVersion: 1,
							position: [0, 0],
							parameters: {},
						},
						{
							id: 'g',
							name: 'Structure',
							type: `${PACKAGE}.chorusPro`,
							typeVersion: 1,
							position: [220, 0],
							credentials,
							parameters: {
								resource: 'structure',
								operation: 'get',
								structure: { __rl: true, mode: 'siret', value: '12345678200036' },
							},
						},
						{
							id: 'b',
							name: 'Bad Invoice Id',
							type: `${PACKAGE}.chorusPro`,
							typeVersion: 1,
							position: [440, 0],
							onError: 'continueRegularOutput',
							credentials,
							parameters: { resource: 'invoice', operation: 'get', invoiceId: '987654321' },
						},
					],
					connections: {
						Start: { main: [[{ node: 'Structure', type: 'main', index: 0 }]] },
						Structure: { main: [[{ node: 'Bad Invoice Id', type: 'main', index: 0 }]] },
					},
				},
			]);
			const result = await n8n.execute('e2eManualInstall');
			assert.ok(result.ok, (result.stdout + result.stderr).slice(-3000));
			const runData = result.run.data.resultData.runData;
			assert.equal(
				runData.Structure[0].data.main[0][0].json.requirements.commitmentNumberRequired,
				true,
			);
			const failed = runData['Bad Invoice Id'][0].data.main[0][0].json;
			assert.match(failed.error, /^Chorus Pro refused the request: GDP_MSG_11\.008/);
			assert.equal(failed.codeRetour, 20000);
		});
	});
}
