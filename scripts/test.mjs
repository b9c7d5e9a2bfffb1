// @ts-check
/**
 * `npm test`: build, lint (n8n's strict community rules), type-check, then the sandbox's own
 * tests (node:test), the node tests (jest, through n8n's engine against the sandbox), and the
 * end-to-end tests in a real n8n with the browser check of its editor (installing n8n into the
 * cache folder and Debian's Chromium on first use). `--no-e2e` leaves the last part out.
 * Ends with one summary line: "tests: N passed, N failed".
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

import { ensureN8n } from './n8n.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const artifacts = path.join(root, '.artifacts');
mkdirSync(artifacts, { recursive: true });
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

/** @param {string} title @param {string} command @param {string[]} args @param {{ allowFailure?: boolean }} [options] */
function step(title, command, args, options = {}) {
	console.log(`\n=== ${title}`);
	const started = Date.now();
	const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	const ok = result.status === 0;
	console.log(`=== ${title}: ${ok ? 'ok' : `failed (exit ${result.status ?? result.signal})`} in ${seconds}s`);
	if (!ok && !options.allowFailure) {
		console.log('tests: 0 passed, 1 failed');
		process.exit(1);
	}
	return ok;
}

step('build', bin('n8n-node'), ['build']);
step('lint', bin('n8n-node'), ['lint']);
step('type-check', bin('tsc'), ['--noEmit', '-p', 'tsconfig.test.json']);

const sandboxReport = path.join(artifacts, 'sandbox-tests.txt');
rmSync(sandboxReport, { force: true });
const sandboxOk = step(
	'sandbox tests (node:test)',
	process.execPath,
	['--test', '--test-reporter=spec', '--test-reporter-destination=stdout',
		'--test-reporter=tap', `--test-reporter-destination=${sandboxReport}`, 'test/sandbox/', 'test/verification-package.test.mjs'],
	{ allowFailure: true },
);

const e2e = !process.argv.includes('--no-e2e');
let e2eOk = true;
const e2eReport = path.join(artifacts, 'e2e-tests.txt');
rmSync(e2eReport, { force: true });
if (e2e) {
	ensureBrowser();
	console.log('\n=== real n8n (installed into the cache folder on first use)');
	ensureN8n();
}

const jestReport = path.join(artifacts, 'jest.json');
rmSync(jestReport, { force: true });
const jestOk = step('node tests (jest, n8n engine + sandbox)', bin('jest'), ['--json', `--outputFile=${jestReport}`], {
	allowFailure: true,
});

if (e2e) {
	e2eOk = step(
		'end-to-end tests (real n8n, editor in Chromium)',
		process.execPath,
		['--test', '--test-concurrency=1', '--test-reporter=spec', '--test-reporter-destination=stdout',
			'--test-reporter=tap', `--test-reporter-destination=${e2eReport}`, 'test/e2e/'],
		{ allowFailure: true },
	);
}

let passed = 0;
let failed = 0;
for (const report of e2e ? [sandboxReport, e2eReport] : [sandboxReport]) {
	try {
		const tap = readFileSync(report, 'utf8');
		passed += Number(/^# pass (\d+)/m.exec(tap)?.[1] ?? 0);
		failed += Number(/^# fail (\d+)/m.exec(tap)?.[1] ?? 0);
	} catch {
		failed += 1;
	}
}
try {
	const report = JSON.parse(readFileSync(jestReport, 'utf8'));
	passed += report.numPassedTests;
	failed += report.numFailedTests + report.numRuntimeErrorTestSuites;
} catch {
	failed += 1;
}
if ((!sandboxOk || !jestOk || !e2eOk) && failed === 0) failed = 1;
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);

/** Debian's Chromium for the editor check: installed with apt-get when missing and allowed. */
function ensureBrowser() {
	if (existsSync('/usr/bin/chromium')) return;
	const root = typeof process.getuid === 'function' && process.getuid() === 0;
	if (!root || !existsSync('/usr/bin/apt-get')) {
		console.log('Chromium is missing: install it with "apt-get install -y chromium chromium-driver" (the editor check needs it).');
		return;
	}
	console.log('\n=== installing Debian\'s Chromium for the editor check');
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
	spawnSync('apt-get', ['install', '-y', '-qq', 'chromium', 'chromium-driver'], { stdio: 'inherit', env });
}
