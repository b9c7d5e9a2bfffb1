// @ts-check
/**
 * Starts the Chorus Pro sandbox in the foreground:
 *   node sandbox/cli.mjs [--port N] [--latency MS] [--flux-polls N]
 * Port: --port, else env CHORUS_SANDBOX_PORT, else 8790. Stops on SIGINT / SIGTERM.
 */
import { createSandbox } from './server.mjs';

/** @param {string} name */
function arg(name) {
	const args = process.argv.slice(2);
	const i = args.indexOf(name);
	if (i >= 0) return args[i + 1];
	const inline = args.find((a) => a.startsWith(`${name}=`));
	return inline ? inline.slice(name.length + 1) : undefined;
}

/** @param {string|undefined} value @param {number} fallback @param {string} what */
function int(value, fallback, what) {
	if (value === undefined || value === '') return fallback;
	const n = Number(value);
	if (!Number.isInteger(n) || n < 0) {
		console.error(`Invalid ${what}: ${value}`);
		process.exit(2);
	}
	return n;
}

if (process.argv.includes('--help') || process.argv.includes('-h')) {
	console.log(
		'Usage: node sandbox/cli.mjs [--port N] [--latency MS] [--flux-polls N]\n' +
			'Environment: CHORUS_SANDBOX_PORT (default 8790).',
	);
	process.exit(0);
}

const port = int(arg('--port') ?? process.env.CHORUS_SANDBOX_PORT, 8790, 'port');
const sandbox = await createSandbox({
	port,
	latencyMs: int(arg('--latency'), 0, 'latency'),
	fluxPollsToFinal: int(arg('--flux-polls'), 2, 'flux polls'),
});
const c = sandbox.credentials;
const r = sandbox.recipientCredentials;
console.log(`Chorus Pro sandbox listening on ${sandbox.url}

  Token URL      ${sandbox.tokenUrl}
  API base URL   ${sandbox.apiBaseUrl}   (e.g. ${sandbox.apiBaseUrl}/cpro/transverses/v1/health-check)
  Admin hooks    ${sandbox.adminUrl}/     (GET lists them)

  PISTE client_id       ${c.clientId}
  PISTE client_secret   ${c.clientSecret}
  Supplier technical account    ${c.technicalLogin} / ${c.technicalPassword}   (structure 26300989)
  Recipient technical account   ${r.technicalLogin} / ${r.technicalPassword}   (public structures)

Press Ctrl+C to stop.`);

let stopping = false;
/** @param {string} signal */
const stop = (signal) => {
	if (stopping) return;
	stopping = true;
	console.log(`\n${signal} received, stopping the sandbox.`);
	sandbox.close().then(() => process.exit(0));
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
