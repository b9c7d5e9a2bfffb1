import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import type { TestInstance } from '../engine/run';

/**
 * Changes made on Chorus Pro at a precise point of a run: just before the node sends a given
 * request (a page of a search), so that tests can move a list between two pages without timing.
 */
/** Runs `action` on Chorus Pro once, just before `instance` sends the first request `when` picks. */
export function beforeRequest(
	instance: TestInstance,
	when: (request: IHttpRequestOptions) => boolean,
	action: () => Promise<unknown>,
) {
	const authenticate = instance.credentials.authenticate.bind(instance.credentials);
	let done = false;
	jest
		.spyOn(instance.credentials, 'authenticate')
		.mockImplementation(async (credentials, type, request) => {
			if (!done && when(request as IHttpRequestOptions)) {
				done = true;
				await action();
			}
			return await authenticate(credentials, type, request);
		});
}

/** Picks the request for page `page` of a search. */
export const searchPage =
	(path: string, page: number) =>
	(request: IHttpRequestOptions): boolean => {
		if (!String(request.url).endsWith(path)) return false;
		const body = JSON.parse(String(request.body)) as Record<string, IDataObject>;
		return Object.values(body).some(
			(value) => typeof value === 'object' && value?.pageResultatDemandee === page,
		);
	};
