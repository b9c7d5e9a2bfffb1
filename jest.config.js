/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: '<rootDir>/test/support/sandbox-environment.mjs',
	testMatch: ['<rootDir>/test/**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }],
	},
	testTimeout: 60_000,
};
