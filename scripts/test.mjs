// @ts-check
/**
 * `npm test`: build, lint (n8n's strict community rules), format check (prettier), type-check, then the sandbox's own
 * tests (node:test), the node tests (jest, through n8n's engine against the sandbox), and the
 * end-to-end tests in real n8n instances — every version of the matrix (scripts/n8n.mjs), queue
 * mode with PostgreSQL and Redis, the README's manual install, the browser check of the editor.
 * On first use it installs the n8n versions into the cache folder (in the background, while the
 * first steps run) and Debian's Chromium, PostgreSQL and Redis when missing and allowed.
 * `--no-e2e` leaves the end-to-end part out; CHORUS_PRO_N8N_VERSIONS=2.41.1 limits the matrix.
 * Ends with one summary line: "tests: N passed, N failed".
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

import { matrixVersions, N8N_VERSION } from './n8n.mjs';
import { missingQueuePackages } from './services.mjs';

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
	console.log(
		`=== ${title}: ${ok ? 'ok' : `failed (exit ${result.status ?? result.signal})`} in ${seconds}s`,
	);
	if (!ok && !options.allowFailure) {
		console.log('tests: 0 passed, 1 failed');
		process.exit(1);
	}
	return ok;
}

const e2e = !process.argv.includes('--no-e2e');
/** The n8n installs (first use only), running beside the build and the node tests. */
const installs = e2e ? startInstalls() : undefined;
if (e2e) ensureDebianPackages();

step('build', bin('n8n-node'), ['build']);
step('lint', bin('n8n-node'), ['lint']);
step('format (prettier --check)', bin('prettier'), ['--check', '.']);
step('type-check', bin('tsc'), ['--noEmit', '-p', 'tsconfig.test.json']);

const sandboxReport = path.join(artifacts, 'sandbox-tests.txt');
rmSync(sandboxReport, { force: true });
const sandboxOk = step(
	'sandbox tests (node:test)',
	process.execPath,
	[
		'--test',
		'--test-reporter=spec',
		'--test-reporter-destination=stdout',
		'--test-reporter=tap',
		`--test-reporter-destination=${sandboxReport}`,
		'test/sandbox/',
		'test/verification-package.test.mjs',
	],
	{ allowFailure: true },
);

let e2eOk = true;
const e2eReport = path.join(artifacts, 'e2e-tests.txt');
rmSync(e2eReport, { force: true });

const jestReport = path.join(artifacts, 'jest.json');
rmSync(jestReport, { force: true });
const jestOk = step(
	'node tests (jest, n8n engine + sandbox)',
	bin('jest'),
	['--json', `--outputFile=${jestReport}`],
	{
		allowFailure: true,
	},
);

if (e2e && !(await installsDone())) e2eOk = false;
else if (e2e) {
	e2eOk = step(
		'end-to-end tests (real n8n: version matrix, queue mode, manual install, editor in Chromium)',
		process.execPath,
		[
			'--test',
			'--test-concurrency=1',
			'--test-reporter=spec',
			'--test-reporter-destination=stdout',
			'--test-reporter=tap',
			`--test-reporter-destination=${e2eReport}`,
			'test/e2e/',
		],
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

/**
 * Debian's Chromium (editor check), PostgreSQL and Redis (queue mode): installed with apt-get when
 * missing and allowed, else said what to install (the tests that need them fail saying so too).
 */
function ensureDebianPackages() {
	const missing = [
		...(existsSync('/usr/bin/chromium') ? [] : ['chromium', 'chromium-driver']),
		...missingQueuePackages(),
	];
	if (!missing.length) return;
	const root = typeof process.getuid === 'function' && process.getuid() === 0;
	if (!root || !existsSync('/usr/bin/apt-get')) {
		console.log(
			`Missing for the end-to-end tests: install them with "sudo apt-get install -y ${missing.join(' ')}".`,
		);
		return;
	}
	console.log(`\n=== installing Debian's ${missing.join(', ')} for the end-to-end tests`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
	spawnSync('apt-get', ['install', '-y', '-qq', ...missing], {
		stdio: ['ignore', 'ignore', 'inherit'],
		env,
	});
}

/**
 * Installs the n8n versions of the matrix (and the default one) into the cache folder (once; a few minutes each), one
 * child process per version, all at once, so that the build and the node tests run meanwhile.
 * Their output goes to .artifacts/n8n-install-<version>.log.
 */
function startInstalls() {
	const started = Date.now();
	// The default version always: the editor check and queue mode run on it.
	const versions = [...new Set([N8N_VERSION, ...matrixVersions()])];
	const children = versions.map((version) => {
		const logFile = path.join(artifacts, `n8n-install-${version}.log`);
		const out = openSync(logFile, 'w');
		const child = spawn(
			process.execPath,
			[path.join(root, 'scripts', 'n8n.mjs'), 'install', version],
			{ cwd: root, stdio: ['ignore', out, out] },
		);
		closeSync(out);
		/** @type {Promise<number | null>} */
		const done = new Promise((resolve) => child.on('close', (status) => resolve(status)));
		return { version, logFile, child, done };
	});
	// A step that ends the tests early ends the installs too (they start over next time).
	process.once('exit', () => {
		for (const { child } of children)
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
	});
	return { started, children };
}

/** Waits for the installs; false (and their logs) when one failed. */
async function installsDone() {
	if (!installs) return true;
	console.log(
		'\n=== real n8n versions (installed into the cache folder on first use, in the background)',
	);
	let ok = true;
	for (const { version, logFile, done } of installs.children) {
		const status = await done;
		console.log(readFileSync(logFile, 'utf8').trim() || `n8n ${version}: nothing to install`);
		if (status !== 0) ok = false;
	}
	const seconds = ((Date.now() - installs.started) / 1000).toFixed(1);
	console.log(
		`=== real n8n versions: ${ok ? 'ready' : 'failed'} ${seconds}s after the start of the tests`,
	);
	return ok;
}
