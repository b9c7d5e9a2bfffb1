// @ts-check
/**
 * Errors that make a deposited file unreadable. Each carries the `listeErreurTechnique` item of the integration
 * report ({codeErreur, libelleErreur, natureErreur}, docs/chorus-pro-api.md §5.3) the flux gets.
 */

/** @typedef {{ codeErreur: string, libelleErreur: string, natureErreur: string }} TechnicalError */

/** Raised when a file cannot be read as the declared syntax. */
export class FileError extends Error {
	/** @param {string} code codeErreur @param {string} label libelleErreur */
	constructor(code, label) {
		super(label);
		/** @type {TechnicalError} */
		this.detail = { codeErreur: code, libelleErreur: label, natureErreur: 'IRRECEVABILITE' };
	}
}

/** The document does not match the schema of its syntax. @param {string} message @param {string} [where] */
export const xsdError = (message, where = '') =>
	new FileError('ERR_XSD_001', `IRRECEVABILITE: ${message}${where}`);

/** The file is not of the expected format (PDF, archive…). @param {string} message */
export const formatError = (message) => new FileError('ERR_FMT_001', `IRRECEVABILITE: ${message}`);
