import type { IExecuteFunctions } from 'n8n-workflow';

import { runCredentials } from '../transport/retry';
import { parseUserDate } from './dates';

const WARN_DAYS = 30;
const DAY_MS = 24 * 3600_000;

/**
 * Chorus Pro requires a new technical password every 424 days; when the credential says when,
 * the output shows a warning in the last 30 days and once it has passed (calls then fail with 401).
 */
export async function remindPasswordRenewal(this: IExecuteFunctions): Promise<void> {
	// Read as the run's calls will use it: one decryption per run.
	const credentials = await runCredentials(this);
	const renewal = parseUserDate(credentials.renewalDate);
	if (!renewal) return;
	const days = Math.ceil((renewal.getTime() - Date.now()) / DAY_MS);
	if (days > WARN_DAYS) return;
	const day = renewal.toISOString().slice(0, 10);
	this.addExecutionHints({
		type: days < 0 ? 'danger' : 'warning',
		location: 'outputPane',
		message:
			days < 0
				? `The Chorus Pro technical password expired on ${day}: the main manager of the structure must set a new one on Chorus Pro, then update the credential.`
				: `The Chorus Pro technical password expires on ${day} (in ${days} days): ask the main manager of the structure to renew it on Chorus Pro, then update the credential.`,
	});
}
