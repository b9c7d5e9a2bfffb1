// @ts-check
/**
 * PostgreSQL and Redis for the queue-mode tests, from Debian's packages (`postgresql`,
 * `redis-server`): installed with apt-get when missing and this runs as root, else the error says
 * what to install. Each server runs in a folder of its own, on a free port of 127.0.0.1 only, and
 * is stopped (and its folder removed) by `stop()`, or when this process exits. Nothing here is a
 * dependency of the package.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
	chownSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { freePort } from './n8n.mjs';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Clean-ups still to run when this process exits (a test that failed half way). @type {Set<() => void>} */
const pending = new Set();
process.once('exit', () => {
	for (const cleanUp of pending) {
		try {
			cleanUp();
		} catch {
			// best effort: the process is ending
		}
	}
});

/** The newest PostgreSQL server binaries Debian installed, or undefined. */
function postgresBin() {
	const base = '/usr/lib/postgresql';
	if (!existsSync(base)) return undefined;
	const versions = readdirSync(base)
		.filter((name) => /^\d+$/.test(name) && existsSync(path.join(base, name, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(base, versions[0], 'bin') : undefined;
}

/** @param {string} command */
const onPath = (command) =>
	spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;

/** The Debian packages the queue-mode tests need and this machine lacks. */
export function missingQueuePackages() {
	/** @type {string[]} */
	const missing = [];
	if (!postgresBin()) missing.push('postgresql');
	if (!onPath('redis-server') || !onPath('redis-cli')) missing.push('redis-server');
	return missing;
}

/**
 * Makes sure Debian's PostgreSQL and Redis are installed: apt-get when root, else an error naming
 * the packages.
 */
export function ensureQueueServices() {
	const missing = missingQueuePackages();
	if (!missing.length) return;
	if (!isRoot || !existsSync('/usr/bin/apt-get')) {
		throw new Error(
			`The queue-mode tests need PostgreSQL and Redis: install them with "sudo apt-get install -y ${missing.join(' ')}" (Debian/Ubuntu packages), then run the tests again.`,
		);
	}
	process.stderr.write(
		`Installing Debian's ${missing.join(' and ')} for the queue-mode tests...\n`,
	);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
	const result = spawnSync('apt-get', ['install', '-y', '-qq', ...missing], {
		stdio: ['ignore', 'ignore', 'inherit'],
		env,
	});
	if (result.status !== 0 || !postgresBin() || !onPath('redis-server'))
		throw new Error(`apt-get install ${missing.join(' ')} failed`);
}

/**
 * Runs a PostgreSQL tool, as the `postgres` user when this process is root (PostgreSQL refuses
 * to run as root).
 * @param {string} tool @param {string[]} args
 */
function pg(tool, args) {
	const bin = path.join(/** @type {string} */ (postgresBin()), tool);
	const [command, fullArgs] = isRoot
		? ['runuser', ['-u', 'postgres', '--', bin, ...args]]
		: [bin, args];
	const result = spawnSync(command, fullArgs, { encoding: 'utf8' });
	if (result.status !== 0)
		throw new Error(
			`${tool} ${args.join(' ')} failed (${result.status})\n${result.stdout}${result.stderr}`,
		);
	return result.stdout;
}

/**
 * A PostgreSQL server with an empty database `n8n` owned by the user `n8n` (trust authentication
 * on 127.0.0.1: the server only listens there). Under root, its folder is a temporary folder the
 * `postgres` user can reach (a home folder usually is not), removed when stopped.
 * @param {string} dir a folder for the server when not root
 */
export async function startPostgres(dir) {
	ensureQueueServices();
	const home = isRoot ? mkdtempSync(path.join(os.tmpdir(), 'chorus-pro-postgres-')) : dir;
	mkdirSync(home, { recursive: true });
	if (isRoot) {
		const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
		const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
		chownSync(home, uid, gid);
	}
	const data = path.join(home, 'data');
	const logFile = path.join(home, 'postgres.log');
	const port = await freePort();
	pg('initdb', ['-D', data, '-A', 'trust', '-U', 'n8n', '-E', 'UTF8', '--no-sync']);
	// A test database: durability is not needed, speed is.
	const options = `-p ${port} -k ${home} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
	pg('pg_ctl', ['-D', data, '-o', options, '-l', logFile, '-w', '-t', '60', 'start']);
	let stopped = false;
	const stopNow = () => {
		if (stopped) return;
		stopped = true;
		pending.delete(stopNow);
		try {
			pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
		} finally {
			if (isRoot) rmSync(home, { recursive: true, force: true });
		}
	};
	pending.add(stopNow);
	pg('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', 'n8n']);
	return {
		host: '127.0.0.1',
		port,
		database: 'n8n',
		user: 'n8n',
		/** The n8n settings of this database. */
		n8nEnv: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'n8n',
			DB_POSTGRESDB_PASSWORD: '',
		},
		/** Runs one SQL statement; rows as arrays of strings. @param {string} sql */
		query(sql) {
			const out = pg('psql', [
				'-h',
				'127.0.0.1',
				'-p',
				String(port),
				'-U',
				'n8n',
				'-d',
				'n8n',
				'-At',
				'-F',
				'\t',
				'-c',
				sql,
			]);
			return out
				.split('\n')
				.filter(Boolean)
				.map((line) => line.split('\t'));
		},
		log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
		async stop() {
			stopNow();
		},
	};
}

/**
 * A Redis server without persistence, as a child process of this one.
 * @param {string} dir its folder (log)
 */
export async function startRedis(dir) {
	ensureQueueServices();
	mkdirSync(dir, { recursive: true });
	const port = await freePort();
	const child = spawn(
		'redis-server',
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
			'--daemonize',
			'no',
			'--logfile',
			path.join(dir, 'redis.log'),
		],
		{ stdio: 'ignore' },
	);
	const kill = () => {
		pending.delete(kill);
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
	};
	pending.add(kill);
	const deadline = Date.now() + 20_000;
	for (;;) {
		const ping = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'ping'], {
			encoding: 'utf8',
		});
		if (ping.stdout.trim() === 'PONG') break;
		if (child.exitCode !== null || Date.now() > deadline) {
			kill();
			throw new Error(`redis-server did not start on port ${port}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	return {
		host: '127.0.0.1',
		port,
		n8nEnv: { QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(port) },
		async stop() {
			pending.delete(kill);
			if (child.exitCode !== null || child.signalCode !== null) return;
			child.kill('SIGTERM');
			await new Promise((resolve) => {
				const timer = setTimeout(() => {
					child.kill('SIGKILL');
					resolve(undefined);
				}, 10_000);
				child.once('exit', () => {
					clearTimeout(timer);
					resolve(undefined);
				});
			});
		},
	};
}
