/**
 * Look-ups shared by the items of one execution (a recipient's requirements, reference lists),
 * so a batch of invoices to the same buyer costs one call, not one per item. It lives only as long
 * as the execution: nothing is kept in module state.
 */
export type ExecutionCache = Map<string, Promise<unknown>>;

export async function cached<T>(
	cache: ExecutionCache,
	key: string,
	load: () => Promise<T>,
): Promise<T> {
	let entry = cache.get(key) as Promise<T> | undefined;
	if (!entry) {
		entry = load();
		cache.set(key, entry);
		// A failed look-up is not remembered: the next item tries again.
		entry.catch(() => cache.delete(key));
	}
	return await entry;
}
