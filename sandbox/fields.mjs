// @ts-check
/**
 * Small readers of request fields shared by the service modules: what counts as absent, numbers given as
 * numbers or numeric strings (as the Java deserialiser of the real API accepts), calendar dates.
 */
import { ReplyError, invalidValue } from './replies.mjs';

/** Absent for the API: null, undefined or the empty string. @param {any} value */
export const blank = (value) => value == null || value === '';

/** A JSON object (not null, not an array). @param {any} value */
export const isObject = (value) =>
	value !== null && typeof value === 'object' && !Array.isArray(value);

/** Rounded to cents. @param {number} n */
export const round2 = (n) => Math.round(n * 100) / 100;

/** A number, or a numeric string. @param {any} value @returns {number|null} */
export function toNumber(value) {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
	return null;
}

/**
 * The number of a field that must be a number when given (null when blank); throws a 400 otherwise.
 * @param {string} name @param {any} value
 */
export function optionalNumber(name, value) {
	if (blank(value)) return null;
	const n = toNumber(value);
	if (n === null) throw new ReplyError(invalidValue(name, value));
	return n;
}

/** A valid `YYYY-MM-DD` calendar date? @param {any} value */
export function isDate(value) {
	if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
	const d = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}
