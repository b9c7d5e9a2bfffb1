// @ts-check
/**
 * Jest environment for the node tests: each test file gets its own Chorus Pro sandbox on a free
 * loopback port (fresh state, so files can run in parallel) and a private n8n user folder.
 * Test files read the sandbox's URLs and credentials from the `chorusSandbox` global, and make
 * invoice documents with the `chorusFixtures` global.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { TestEnvironment } from 'jest-environment-node';

import * as fixtures from '../../sandbox/fixtures.mjs';
import { createSandbox } from '../../sandbox/server.mjs';

export default class SandboxEnvironment extends TestEnvironment {
	/**
	 * @param {import('@jest/environment').JestEnvironmentConfig} config
	 * @param {import('@jest/environment').EnvironmentContext} context
	 */
	constructor(config, context) {
		// n8n-core reads these when it loads; set before the test realm copies the environment.
		process.env.N8N_USER_FOLDER = path.join(config.globalConfig.rootDir, 'test', '.n8n');
		process.env.N8N_ENCRYPTION_KEY ??= 'test-encryption-key';
		process.env.N8N_LOG_LEVEL ??= 'silent';
		process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
		super(config, context);
		this.rootDir = config.globalConfig.rootDir;
		/** @type {Awaited<ReturnType<typeof createSandbox>> | undefined} */
		this.sandbox = undefined;
	}

	async setup() {
		await super.setup();
		this.sandbox = await createSandbox({ port: 0 });
		const { url, tokenUrl, apiBaseUrl, adminUrl, credentials, recipientCredentials } = this.sandbox;
		this.global.chorusSandbox = JSON.parse(
			JSON.stringify({ url, tokenUrl, apiBaseUrl, adminUrl, credentials, recipientCredentials }),
		);
		// Document generators (UBL, CII, Factur-X, PDF, zip, tar.gz) for the tests' input files.
		this.global.chorusFixtures = { ...fixtures };
		// Files made by other projects (test/fixtures/real-world/, origins in its SOURCES.md).
		const realWorld = path.join(this.rootDir, 'test', 'fixtures', 'real-world');
		this.global.realWorldFixtures = {
			/** @param {string} folder */
			list: (folder) => readdirSync(path.join(realWorld, folder)).sort(),
			/** @param {string} file */
			read: (file) => readFileSync(path.join(realWorld, file)),
		};
		/** @param {string} file a path from the repository's root */
		this.global.repositoryText = (file) => readFileSync(path.join(this.rootDir, file), 'utf8');
	}

	async teardown() {
		await this.sandbox?.close();
		await super.teardown();
	}
}
