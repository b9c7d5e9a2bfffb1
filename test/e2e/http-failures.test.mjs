// @ts-check
/**
 * What each n8n line of the matrix hands to a node when a call through its real
 * `httpRequestWithAuthentication` fails, and what the package reads of it
 * (scripts/n8n-error-shapes.mjs, run with the line's own Node, n8n-core and n8n-workflow).
 *
 * n8n 2.x wraps the HTTP client's error in a NodeApiError whose `cause` is that error; n8n 1.x's
 * NodeApiError has no `cause` and keeps only `httpCode` (status or network code), `context.data`
 * (a JSON body) and `messages`. readHttpFailure reads both, so the same failure gives the same
 * error. The transport sends with `ignoreHttpStatusErrors`, so HTTP errors come back as answers
 * (status, headers, body: the same on both lines); only network errors and a failing token
 * endpoint are thrown.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';

import { ensureN8n, installPaths, matrixVersions, repoRoot } from '../../scripts/n8n.mjs';

const versions = matrixVersions();
/** @type {Record<string, any>} */
const shapes = {};

before(
	() => {
		assert.ok(
			existsSync(path.join(repoRoot, 'dist', 'nodes')),
			'build the package first (npm run build)',
		);
		for (const version of versions) {
			const { nodeBin } = ensureN8n(version);
			const probe = spawnSync(
				nodeBin,
				[path.join(repoRoot, 'scripts', 'n8n-error-shapes.mjs'), installPaths(version).dir],
				{
					encoding: 'utf8',
					timeout: 60_000,
				},
			);
			assert.equal(probe.status, 0, probe.stderr);
			shapes[version] = JSON.parse(probe.stdout);
		}
	},
	{ timeout: 900_000 },
);

/** The parts of a read failure that decide the error (headers aside). @param {any} failure */
const decisive = (failure) => ({
	status: failure.status,
	code: failure.code,
	data: failure.data,
	message: failure.message,
});

describe(`HTTP failures as n8n ${versions.join(' and ')} hand them to the node`, () => {
	for (const [name, code, message] of [
		['refused', 'ECONNREFUSED', 'Chorus Pro could not be reached: connection refused'],
		[
			'reset',
			'ECONNRESET',
			'The connection to Chorus Pro was cut before its answer (connection reset)',
		],
		['timeout', 'ECONNABORTED', 'Chorus Pro did not answer in time'],
	]) {
		it(`a ${name} connection reads as ${code}, whether n8n keeps the client's error as cause (2.x) or only its code (1.x)`, () => {
			for (const version of versions) {
				const shape = shapes[version][name];
				assert.equal(shape.thrown.name, 'NodeApiError', version);
				assert.equal(shape.thrown.httpCode, code, version);
				assert.deepEqual(
					decisive(shape.failure),
					{ status: undefined, code, data: undefined, message: undefined },
					version,
				);
				assert.equal(shape.message, message, version);
				if (version.startsWith('1.'))
					assert.equal(shape.thrown.hasCause, false, `${version} has no cause`);
				else assert.equal(shape.thrown.causeCode, code, version);
			}
		});
	}

	it('a failing token endpoint (the credential) keeps its own message on every line', () => {
		for (const version of versions) {
			const shape = shapes[version].token;
			assert.deepEqual(decisive(shape.failure), {
				status: undefined,
				code: undefined,
				data: undefined,
				message: 'PISTE refused the client ID or client secret (invalid_client)',
			});
			assert.equal(
				shape.message,
				'PISTE refused the client ID or client secret (invalid_client)',
				version,
			);
		}
	});

	it('an HTTP error thrown by n8n gives its status and JSON body on every line (its headers only on 2.x)', () => {
		for (const version of versions) {
			const shape = shapes[version].http503;
			assert.deepEqual(
				decisive(shape.failure),
				{
					status: 503,
					code: undefined,
					data: { codeRetour: 1, libelle: 'Service indisponible' },
					message: undefined,
				},
				version,
			);
			assert.equal(shape.message, 'Chorus Pro refused the request: Service indisponible', version);
			const { failure } = shapes[version].http401;
			assert.equal(failure.status, 401, version);
			assert.deepEqual(failure.data, { ErrorCode: '401', Description: '[invalid field]' }, version);
			// n8n 1.x drops the response headers (Retry-After, WWW-Authenticate) of a thrown error:
			// the transport never lets HTTP errors be thrown for that reason (next test).
			if (version.startsWith('1.')) assert.deepEqual(failure.headers, {}, version);
			else assert.match(failure.headers['www-authenticate'], /error="Unauthorized"/, version);
		}
	});

	it('with ignoreHttpStatusErrors (as the transport sends) an HTTP error is an answer with its status, headers and body on every line', () => {
		for (const version of versions) {
			assert.deepEqual(
				shapes[version].http503Answered.response,
				{
					statusCode: 503,
					retryAfter: '7',
					body: { codeRetour: 1, libelle: 'Service indisponible' },
				},
				version,
			);
		}
	});
});
