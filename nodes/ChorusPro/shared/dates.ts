/**
 * Dates as Chorus Pro writes them: the platform lives in Europe/Paris time and each service has its
 * own format (docs/chorus-pro-api.md §2.4). Requests take `YYYY-MM-DD` (and `YYYY-MM-DDTHH:mm:ss`
 * for the "status changed" period); answers mix `YYYY-MM-DD HH:mm` and ISO 8601 with an offset.
 */
const PARIS = 'Europe/Paris';

// Built once: a formatter costs far more to build than to use (a constant, not state).
const PARIS_CLOCK = new Intl.DateTimeFormat('en-GB', {
	timeZone: PARIS,
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit',
	hourCycle: 'h23',
});

function parisParts(date: Date): Record<string, string> {
	const parts = PARIS_CLOCK.formatToParts(date);
	return Object.fromEntries(parts.map((part) => [part.type, part.value]));
}

/** A date given by a user (ISO string from a date picker, `YYYY-MM-DD`, or a Date). */
export function parseUserDate(value: unknown): Date | undefined {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
	if (typeof value !== 'string' || !value.trim()) return undefined;
	const text = value.trim();
	// A plain date, or a date-time without offset, is a Paris wall-clock time.
	const local = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?$/.exec(
		text,
	);
	if (local) {
		const [, y, m, d, hh = '00', mm = '00', ss = '00'] = local;
		return fromParisWallClock(+y, +m, +d, +hh, +mm, +ss);
	}
	const date = new Date(text);
	return Number.isNaN(date.getTime()) ? undefined : date;
}

function fromParisWallClock(
	y: number,
	m: number,
	d: number,
	hh: number,
	mm: number,
	ss: number,
): Date {
	const asUtc = Date.UTC(y, m - 1, d, hh, mm, ss);
	// The offset of Paris at that moment (+1 or +2 hours); checked twice around DST changes.
	let guess = asUtc;
	for (let i = 0; i < 2; i++) {
		const p = parisParts(new Date(guess));
		const shown = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
		guess = asUtc - (shown - guess);
	}
	return new Date(guess);
}

/** `YYYY-MM-DD`, the Paris calendar day of an instant. */
export function toChorusDate(date: Date): string {
	const p = parisParts(date);
	return `${p.year}-${p.month}-${p.day}`;
}

/** `YYYY-MM-DDTHH:mm:ss`, Paris wall-clock time of an instant. */
export function toChorusDateTime(date: Date): string {
	const p = parisParts(date);
	return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

/** ISO 8601 (UTC) of a date found in a Chorus answer, whatever its format; undefined if unreadable. */
export function chorusDateToIso(value: unknown): string | undefined {
	if (typeof value !== 'string' || !value.trim()) return undefined;
	const text = value.trim();
	const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/.test(text);
	const date = hasOffset ? new Date(text) : parseUserDate(text);
	return date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
}
