import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** What a resource locator holds: the mode chosen and its value as text (trimmed). */
export interface LocatorChoice {
	mode: string;
	value: string;
}

function asText(value: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value).trim();
}

/**
 * The value of a parameter that is a resource locator today but held a plain value in workflows
 * saved by earlier versions (a number from a dropdown, a number field, an expression): a locator
 * value (`{ __rl, mode, value }`) gives its mode and value, a plain one reads as `plainMode`.
 */
export function locatorChoice(raw: unknown, plainMode: string): LocatorChoice {
	if (raw !== null && typeof raw === 'object' && !Array.isArray(raw) && 'value' in raw) {
		const { mode, value } = raw as { mode?: unknown; value?: unknown };
		return { mode: typeof mode === 'string' && mode ? mode : plainMode, value: asText(value) };
	}
	return { mode: plainMode, value: asText(raw) };
}

/**
 * A Chorus Pro ID given in a locator (or a plain value of an older workflow): a positive whole
 * number, or undefined when the value is empty. Anything else is refused, naming the field.
 */
export function chorusIdOf(
	this: { getNode(): INode },
	value: string,
	label: string,
	itemIndex: number,
): number | undefined {
	if (value === '') return undefined;
	const id = Number(value);
	if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(id) || id <= 0) {
		throw new NodeOperationError(
			this.getNode(),
			`${label} must be a Chorus Pro ID (a number), not "${value}"`,
			{
				itemIndex,
				description:
					'Pick it from the list, or give its Chorus Pro ID (a number such as 26300989, not a SIRET).',
			},
		);
	}
	return id;
}
