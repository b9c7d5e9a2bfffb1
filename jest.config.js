/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: '<rootDir>/test/support/sandbox-environment.mjs',
	testMatch: ['<rootDir>/test/**/*.test.ts'],
	// The build copies package.json into dist/: keep jest's module map to the sources.
	modulePathIgnorePatterns: ['<rootDir>/dist/'],
	transform: {
		'^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }],
	},
	testTimeout: 60_000,
};
