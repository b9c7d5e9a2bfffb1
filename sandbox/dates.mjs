// @ts-check
/**
 * Dates as Chorus Pro writes them. The API mixes formats (docs/chorus-pro-api.md §2.4) and its local times are
 * Europe/Paris: `YYYY-MM-DD`, `YYYY-MM-DD HH:mm`, ISO 8601 with the Paris offset.
 */

/** @type {Intl.DateTimeFormat | null} */
let parisFormat = null;
try {
	parisFormat = new Intl.DateTimeFormat('en-GB', {
		timeZone: 'Europe/Paris',
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	});
} catch {
	parisFormat = null; // no ICU time zone data: fall back to a fixed +01:00
}

/**
 * Wall-clock parts of a date in Europe/Paris, with the UTC offset in minutes.
 * @param {Date} date
 */
export function parisParts(date) {
	const ms = date.getTime();
	/** @type {Record<string, number>} */
	const p = {};
	if (parisFormat) {
		for (const part of parisFormat.formatToParts(date))
			if (part.type !== 'literal') p[part.type] = Number(part.value);
	} else {
		const d = new Date(ms + 3600_000);
		Object.assign(p, {
			year: d.getUTCFullYear(),
			month: d.getUTCMonth() + 1,
			day: d.getUTCDate(),
			hour: d.getUTCHours(),
			minute: d.getUTCMinutes(),
			second: d.getUTCSeconds(),
		});
	}
	const localAsUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
	const offsetMinutes = Math.round((localAsUtc - (ms - (((ms % 1000) + 1000) % 1000))) / 60000);
	return {
		year: p.year,
		month: p.month,
		day: p.day,
		hour: p.hour,
		minute: p.minute,
		second: p.second,
		millis: ((ms % 1000) + 1000) % 1000,
		offsetMinutes,
	};
}

/** @param {number} n @param {number} [width] */
export const pad = (n, width = 2) => String(n).padStart(width, '0');

/** `YYYY-MM-DD` (Paris local date). @param {Date} date */
export function formatDate(date) {
	const p = parisParts(date);
	return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** `YYYY-MM-DD HH:mm` (Paris local time), e.g. histoStatutDatePassage, dateDbtService. @param {Date} date */
export function formatDateMinutes(date) {
	const p = parisParts(date);
	return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

/**
 * ISO 8601 with the Paris offset: `2018-02-16T15:10:25.536+01:00` (millis) or `2016-12-28T08:31:19+01:00`.
 * @param {Date} date @param {boolean} [millis]
 */
export function formatIso(date, millis = true) {
	const p = parisParts(date);
	const sign = p.offsetMinutes < 0 ? '-' : '+';
	const off = Math.abs(p.offsetMinutes);
	return (
		`${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}` +
		(millis ? `.${pad(p.millis, 3)}` : '') +
		`${sign}${pad(Math.floor(off / 60))}:${pad(off % 60)}`
	);
}

/**
 * Parses a Paris wall-clock time `YYYY-MM-DD[ HH:mm[:ss]]` (also with `T`) into a Date. Returns null if invalid.
 * @param {string} text
 */
export function parseParisLocal(text) {
	const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(String(text));
	if (!m) return null;
	const [y, mo, d, h = 0, mi = 0, s = 0] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v)));
	const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
	// Try the two Paris offsets and keep the one whose wall clock matches.
	for (const offset of [60, 120]) {
		const candidate = new Date(asUtc - offset * 60000);
		const p = parisParts(candidate);
		if (p.hour === h && p.day === d && p.minute === mi) return candidate;
	}
	return new Date(asUtc - 3600_000);
}
