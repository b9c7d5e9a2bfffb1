// @ts-check
/**
 * HTTP plumbing of the sandbox, apart from what the answers mean: reading a body within a size limit, writing a
 * Reply, and the copy of a body kept in the request log.
 */

/** @typedef {import('./replies.mjs').Reply} Reply */

export const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

/**
 * Reads a request body, stopping at `limit` bytes (nothing more is buffered). A declared Content-Length above
 * the limit is refused without reading.
 * @param {import('node:http').IncomingMessage} req @param {number} limit
 * @returns {Promise<{ buf: Buffer, tooLarge: boolean }>}
 */
export function readBody(req, limit) {
	return new Promise((resolve, reject) => {
		const declared = Number(req.headers['content-length']);
		if (Number.isFinite(declared) && declared > limit) {
			resolve({ buf: Buffer.alloc(0), tooLarge: true });
			return;
		}
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		let done = false;
		/** @param {Buffer} chunk */
		const onData = (chunk) => {
			if (done) return;
			size += chunk.length;
			if (size > limit) {
				done = true;
				req.off('data', onData);
				req.pause();
				resolve({ buf: Buffer.alloc(0), tooLarge: true });
				return;
			}
			chunks.push(chunk);
		};
		req.on('data', onData);
		req.on('end', () => {
			if (!done) {
				done = true;
				resolve({ buf: Buffer.concat(chunks, size), tooLarge: false });
			}
		});
		req.on('error', (err) => {
			if (!done) {
				done = true;
				reject(err);
			}
		});
	});
}

/**
 * Writes a Reply: `raw` sent as is, or `body` as JSON, or nothing; JSON content type unless the reply sets one.
 * @param {import('node:http').ServerResponse} res @param {Reply} reply
 */
export function sendReply(res, reply) {
	if (res.writableEnded || res.destroyed) return;
	const status = reply.status ?? 200;
	/** @type {Record<string, string>} */
	const headers = { ...(reply.headers ?? {}) };
	/** @type {Buffer} */
	let payload;
	if (reply.raw !== undefined) {
		payload = Buffer.isBuffer(reply.raw) ? reply.raw : Buffer.from(String(reply.raw), 'utf8');
		if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = JSON_CONTENT_TYPE;
	} else if (reply.body !== undefined) {
		payload = Buffer.from(JSON.stringify(reply.body), 'utf8');
		if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = JSON_CONTENT_TYPE;
	} else {
		payload = Buffer.alloc(0);
	}
	headers['Content-Length'] = String(payload.length);
	res.writeHead(status, headers);
	res.end(payload);
}

/** @param {Record<string, string>} headers @param {string} name */
function hasHeader(headers, name) {
	return Object.keys(headers).some((h) => h.toLowerCase() === name);
}

/**
 * A handler may return a Reply or directly a Chorus body (recognised by its `codeRetour`).
 * @param {any} value @returns {Reply}
 */
export function toReply(value) {
	if (value && typeof value === 'object' && 'codeRetour' in value)
		return { status: 200, body: value };
	return value ?? { status: 204 };
}

/** 413 for a body over the limit. @returns {Reply} */
export function tooLargeReply() {
	// Close the connection: the rest of the upload is not read.
	return { status: 413, headers: { Connection: 'close' } };
}

/**
 * Copy of a parsed body for the request log: long strings (base64 files) are kept but the byte count of
 * the whole body is given in `bodyBytes` next to it.
 * @param {Buffer} raw @param {string} contentType
 */
export function bodyForLog(raw, contentType) {
	if (raw.length === 0) return null;
	const text = raw.toString('utf8');
	if (/x-www-form-urlencoded/i.test(contentType))
		return Object.fromEntries(new URLSearchParams(text));
	try {
		return JSON.parse(text);
	} catch {
		return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
	}
}
