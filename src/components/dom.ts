/** A small element builder, so components render in jsdom (tests) as in a page. */

/** What an element can hold: nodes, text, numbers, nested lists; empty values are skipped. */
export type Child = Node | string | number | null | undefined | false | Child[];

/** `h(tag, attributes, ...children)` over the given document; null attributes are left out. */
export function builder(document: Document) {
  return function h(
    tag: string,
    attributes: Record<string, string | null | undefined> = {},
    ...children: Child[]
  ): HTMLElement {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value !== null && value !== undefined) element.setAttribute(name, value);
    }
    const append = (child: Child): void => {
      if (child === null || child === undefined || child === false) return;
      if (Array.isArray(child)) child.forEach(append);
      else if (typeof child === "string" || typeof child === "number")
        element.append(document.createTextNode(String(child)));
      else element.append(child);
    };
    children.forEach(append);
    return element;
  };
}
