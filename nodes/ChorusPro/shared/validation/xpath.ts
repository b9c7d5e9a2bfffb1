/** Reading elements of a parsed XML tree (shared/xml.ts), and naming where they are. */
import type { XmlElement } from '../xml';

/** Child elements with this namespace and local name. */
export function childrenOf(
	element: XmlElement | undefined,
	ns: string,
	local: string,
): XmlElement[] {
	return element
		? element.children.filter((child) => child.local === local && child.ns === ns)
		: [];
}

/** The value of an attribute without namespace. */
export function attributeOf(element: XmlElement | undefined, local: string): string | undefined {
	return element?.attributes.find((attribute) => attribute.local === local && !attribute.ns)?.value;
}

/** An XPath-like path to an element, with a position where siblings share its name. */
export function pathOf(element: XmlElement): string {
	const steps: string[] = [];
	for (let node: XmlElement | undefined = element; node; node = node.parent) {
		const current = node;
		const same = current.parent?.children.filter((child) => child.name === current.name) ?? [];
		steps.unshift(same.length > 1 ? `${current.name}[${same.indexOf(current) + 1}]` : current.name);
	}
	return `/${steps.join('/')}`;
}
