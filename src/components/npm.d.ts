// Components import libraries as the pages do (`npm:` specifiers, which Framework resolves from
// its offline cache); tsc reads their types from node_modules, vitest resolves them by alias.
declare module "npm:@observablehq/plot" {
  export * from "@observablehq/plot";
}
declare module "npm:d3" {
  export * from "d3";
}
declare module "npm:htl" {
  export function html(strings: TemplateStringsArray, ...values: unknown[]): HTMLElement;
  export function svg(strings: TemplateStringsArray, ...values: unknown[]): SVGElement;
}
