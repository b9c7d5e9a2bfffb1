import type { IDataObject } from 'n8n-workflow';

import type { ChorusContext, RequestOptions } from './request';
import { chorusRequest } from './request';
import type { ChorusService } from './services';
import { MAX_PAGE_SIZE } from './services';

export interface PageOptions extends RequestOptions {
	/** Stop after this many results; undefined = all pages. */
	limit?: number;
	/** Page size to ask for (defaults to the largest, or to the limit when smaller). */
	pageSize?: number;
	/** Every page as read, repeats included, for a caller that follows a moving list itself. */
	asRead?: boolean;
}

function listOf(answer: IDataObject, key: string): IDataObject[] {
	const list = answer[key];
	return Array.isArray(list) ? (list as IDataObject[]) : [];
}

/**
 * Fetches the pages of a search until the total, the last page or the limit is reached.
 * The paging block and the place of the totals differ per service (see services.ts).
 *
 * The list may move while it is read: a result added before the page being read pushes one onto
 * the next page (kept once, by its id); a result that leaves the search pulls one back onto a page
 * already read, where it would be skipped. When the total shrinks between pages, the search is
 * read once more from the start, and the results of both passes are merged.
 */
export async function chorusRequestAll(
	this: ChorusContext,
	service: ChorusService,
	body: IDataObject = {},
	options: PageOptions = {},
): Promise<IDataObject[]> {
	const page = service.page;
	if (!page) throw new TypeError(`${service.path} is not a paginated service`);
	const { limit } = options;
	const pageSize = Math.max(1, options.pageSize ?? Math.min(limit ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE));
	const baseBlock = (body[page.block] as IDataObject | undefined) ?? {};
	const results: IDataObject[] = [];
	const seen = new Set<string>();
	let firstTotal: number | undefined;
	let passes = 1;

	for (let pageNumber = 1; ; pageNumber++) {
		const answer = await chorusRequest.call(
			this,
			service,
			{
				...body,
				[page.block]: {
					...baseBlock,
					pageResultatDemandee: pageNumber,
					nbResultatsParPage: pageSize,
				},
			},
			options,
		);
		const items = listOf(answer, page.list);
		for (const item of items) {
			const id = item[page.id];
			if (options.asRead || id === undefined || id === null) results.push(item);
			else if (!seen.has(String(id))) {
				seen.add(String(id));
				results.push(item);
			}
		}
		if (limit !== undefined && results.length >= limit) return results.slice(0, limit);

		const totals =
			page.totals === 'topLevel'
				? answer
				: ((answer.parametresRetour as IDataObject | undefined) ?? {});
		const total = Number(totals.total);
		if (Number.isFinite(total)) {
			firstTotal ??= total;
			if (total < firstTotal && passes === 1 && !options.asRead) {
				passes = 2;
				firstTotal = total;
				pageNumber = 0;
				continue;
			}
		}
		const pages = Number(totals.pages);
		const lastPage =
			Number.isFinite(pages) && pages > 0 ? pageNumber >= pages : items.length < pageSize;
		if (items.length === 0 || lastPage) return results;
	}
}
