// @ts-check
/**
 * Browser check of the n8n editor with this package loaded as a custom extension: the node creator
 * finds "Chorus Pro" and lists its operations, and choosing one opens the node's parameter panel.
 *
 * Needs Debian's Chromium at /usr/bin/chromium (`apt-get install -y chromium chromium-driver`),
 * driven by playwright-core (no browser of its own). Screenshots go to .artifacts/screenshots/.
 *
 *   node --test test/e2e/editor.test.mjs
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import { chromium, selectors } from 'playwright-core';
import {
	createInstance,
	ensureN8n,
	prepareExtension,
	repoRoot,
	sandboxCredential,
	setupOwner,
} from '../../scripts/n8n.mjs';
import { createSandbox } from '../../sandbox/server.mjs';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.join(repoRoot, '.artifacts', 'screenshots');
const SHOT_NAMES = ['chorus-pro-actions.png', 'chorus-pro-node.png', 'editor-failure.png'];
const CREDENTIAL_NAME = 'Chorus Pro sandbox';
/** A few of the `action` strings of nodes/ChorusPro/actions/*\/*.resource.ts, one or more per resource. */
const EXPECTED_ACTIONS = [
	'Deposit an invoice file',
	'Submit an invoice',
	'Search invoices',
	'Get the report of a deposit',
	'Search received invoices',
	'Get my structures',
];

/**
 * Bounds a clean-up step so that a hung process cannot hold the test.
 * @param {() => Promise<unknown>} step @param {number} ms
 */
async function bounded(step, ms) {
	/** @type {NodeJS.Timeout | undefined} */
	let timer;
	await Promise.race([
		step().catch((error) => console.error(`clean-up: ${error?.message ?? error}`)),
		new Promise((resolve) => (timer = setTimeout(resolve, ms))),
	]);
	clearTimeout(timer);
}

before(
	() => {
		// First run only: installs n8n into the cache folder and builds dist/ (minutes), outside the test's own timeout.
		ensureN8n();
		if (!existsSync(path.join(repoRoot, 'dist', 'nodes'))) {
			const build = spawnSync('npx', ['n8n-node', 'build'], {
				cwd: repoRoot,
				stdio: 'inherit',
				timeout: 300_000,
			});
			assert.equal(build.status, 0, 'npx n8n-node build failed');
		}
	},
	{ timeout: 900_000 },
);

test(
	'the editor lists the Chorus Pro actions and opens the node parameters',
	{ timeout: 180_000 },
	async (t) => {
		assert.ok(
			existsSync(CHROMIUM),
			`${CHROMIUM} is missing: install Debian's browser with "apt-get install -y chromium chromium-driver"`,
		);
		mkdirSync(SCREENSHOTS, { recursive: true });
		for (const name of SHOT_NAMES) rmSync(path.join(SCREENSHOTS, name), { force: true });

		/** @type {(() => Promise<unknown>)[]} clean-up steps, run last-in first-out */
		const cleanups = [];
		t.after(async () => {
			for (const step of cleanups.reverse()) await bounded(step, 30_000);
		});

		const work = mkdtempSync(path.join(os.tmpdir(), 'chorus-pro-e2e-editor-'));
		cleanups.push(async () => rmSync(work, { recursive: true, force: true }));

		const sandbox = await createSandbox({ port: 0 });
		cleanups.push(() => sandbox.close());

		const instance = await createInstance({
			home: path.join(work, 'n8n'),
			extensionDir: prepareExtension(path.join(work, 'extension')),
			env: { N8N_DISABLED_MODULES: 'mcp-registry' }, // it polls a public registry this machine cannot reach
		});
		await instance.importCredentials([
			sandboxCredential(sandbox, 'chorus-pro-sandbox', CREDENTIAL_NAME),
		]);
		const n8n = await instance.start();
		cleanups.push(() => n8n.stop());
		const cookie = await setupOwner(instance.url);
		const separator = cookie.indexOf('=');
		assert.ok(separator > 0, `no session cookie from the owner login: "${cookie}"`);

		selectors.setTestIdAttribute('data-test-id');
		const context = await chromium.launchPersistentContext(path.join(work, 'chromium-profile'), {
			executablePath: CHROMIUM,
			args: [
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--disable-quic',
				'--no-first-run',
			],
			viewport: { width: 1440, height: 1000 },
			timeout: 30_000,
		});
		cleanups.push(() => context.close());
		context.setDefaultTimeout(20_000);
		context.setDefaultNavigationTimeout(30_000);
		await context.addCookies([
			{ name: cookie.slice(0, separator), value: cookie.slice(separator + 1), url: instance.url },
		]);
		const page = context.pages()[0] ?? (await context.newPage());

		try {
			// A new workflow, then its first step: the node creator opens on the triggers.
			await page.goto(`${instance.url}/workflow/new`);
			await page.getByTestId('canvas-plus-button').click();
			await page.getByTestId('node-creator-search-bar').fill('Chorus Pro');
			const items = page.getByTestId('node-creator-item-name');
			await items.filter({ hasText: /^Chorus Pro$/ }).click();

			// The node's panel: its triggers, then its actions once that section is expanded.
			await page
				.getByTestId('node-creator-category-item')
				.filter({ hasText: /^Actions \(\d+\)/ })
				.click();
			await items.filter({ hasText: EXPECTED_ACTIONS[0] }).waitFor();
			const listed = await items.allTextContents();
			for (const action of EXPECTED_ACTIONS)
				assert.ok(
					listed.includes(action),
					`"${action}" not among the listed actions: ${listed.join(', ')}`,
				);
			assert.ok(
				listed.includes('On invoice status changed'),
				'the Chorus Pro Trigger events are not listed',
			);
			await page.screenshot({ path: path.join(SCREENSHOTS, 'chorus-pro-actions.png') });

			// Choosing an action adds the node (after a manual trigger) and opens its parameters.
			await items.filter({ hasText: /^Deposit an invoice file$/ }).click();
			const ndv = page.getByTestId('ndv');
			const parameters = ndv.getByTestId('node-parameters');
			await parameters.waitFor();
			for (const label of ['Credential', 'Resource', 'Operation', 'Input Binary Field']) {
				await ndv.getByText(label, { exact: true }).first().waitFor();
			}
			const value = (/** @type {string} */ testId) =>
				ndv.getByTestId(testId).getByRole('combobox').inputValue();
			assert.equal(await value('node-credentials-select'), CREDENTIAL_NAME);
			assert.equal(await value('parameter-input-resource'), 'Invoice');
			assert.equal(await value('parameter-input-operation'), 'Deposit File');
			await page.screenshot({ path: path.join(SCREENSHOTS, 'chorus-pro-node.png') });
		} catch (error) {
			await page.screenshot({ path: path.join(SCREENSHOTS, 'editor-failure.png') }).catch(() => {});
			console.error(`n8n output (end):\n${n8n.output().slice(-2000)}`);
			throw error;
		} finally {
			t.diagnostic(`screenshots in ${SCREENSHOTS}`);
		}
	},
);
