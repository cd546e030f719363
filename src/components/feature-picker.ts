/**
 * The features an analyst projects: checkboxes grouped by dimension, labelled from the feature
 * catalog with their units (and bands, for the quasi-identifiers the sample coarsens), and three shortcuts (the clustered features, all, none). An
 * Observable view: its value is the chosen feature ids in catalog order.
 */
import type {ExploreFeature} from "../contracts/explore.js";
import {formatShare} from "../contracts/share.js";
import {capitalise} from "../contracts/text.js";

const DIMENSIONS = ["behavioral", "psychographic", "demographic", "geographic", "firmographic"];

export type FeaturePicker = HTMLFormElement & {value: string[]};

/** Checkboxes for features, grouped by dimension; value: the chosen ids. */
export function featurePicker(
  features: readonly ExploreFeature[],
  {value, document: doc = document}: {value: readonly string[]; document?: Document}
): FeaturePicker {
  const el = <K extends keyof HTMLElementTagNameMap>(
    tag: K,
    attrs: Record<string, string> = {},
    ...children: (Node | string)[]
  ): HTMLElementTagNameMap[K] => {
    const node = doc.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    node.append(...children);
    return node;
  };
  const chosen = new Set(value);
  const form = el("form", {class: "feature-picker", "aria-label": "Features to project"});
  const boxes: HTMLInputElement[] = [];
  const counts: {dimension: string; count: HTMLElement}[] = [];
  const toolbar = el("div", {class: "feature-picker-toolbar"});
  const shortcut = (label: string, pick: (f: ExploreFeature) => boolean) => {
    const button = el("button", {type: "button"}, label);
    button.addEventListener("click", () => {
      for (const box of boxes) box.checked = pick(byId.get(box.value)!);
      update();
    });
    toolbar.append(button);
  };
  const byId = new Map(features.map((f) => [f.id, f]));
  shortcut("Clustered features", (f) => f.clustered);
  shortcut("All", () => true);
  shortcut("None", () => false);
  form.append(toolbar);
  const dimensions = [
    ...DIMENSIONS.filter((d) => features.some((f) => f.dimension === d)),
    ...new Set(features.map((f) => f.dimension).filter((d) => !DIMENSIONS.includes(d)))
  ];
  for (const dimension of dimensions) {
    const group = features.filter((f) => f.dimension === dimension);
    const count = el("span", {class: "feature-picker-count"});
    counts.push({dimension, count});
    // The summary shows the dimension and its count; the legend names the group for screen readers.
    const fieldset = el(
      "fieldset",
      {},
      el("legend", {class: "visually-hidden"}, capitalise(dimension))
    );
    const list = el("div", {class: "feature-picker-list"});
    for (const f of group) {
      const box = el("input", {type: "checkbox", name: "feature", value: f.id});
      box.checked = chosen.has(f.id);
      boxes.push(box);
      const coverage = f.coverage < 0.995 ? `, ${formatShare(f.coverage)} have it` : "";
      // A quasi-identifier is published in bands (the sample's privacy): say so beside its unit.
      const band = f.band && f.band !== "exact" ? `, in ${f.band}` : "";
      list.append(
        el(
          "label",
          {title: f.id},
          box,
          " ",
          f.label,
          " ",
          el("span", {class: "feature-picker-unit"}, `${f.unit}${band}${coverage}`)
        )
      );
    }
    fieldset.append(list);
    const details = el(
      "details",
      {},
      el("summary", {}, capitalise(dimension), " ", count),
      fieldset
    );
    details.open = group.some((f) => chosen.has(f.id)) || dimensions.length === 1;
    form.append(details);
  }
  const picker = form as FeaturePicker;
  const Event = (doc.defaultView ?? globalThis).Event;

  function update(dispatch = true): void {
    picker.value = boxes.filter((b) => b.checked).map((b) => b.value);
    for (const {dimension, count} of counts) {
      const group = boxes.filter((b) => byId.get(b.value)?.dimension === dimension);
      const text = `(${group.filter((b) => b.checked).length} of ${group.length})`;
      count.textContent = text;
    }
    if (dispatch) picker.dispatchEvent(new Event("input", {bubbles: true}));
  }

  // A checkbox's own input event would reach the page's listener on the form before the value
  // is updated: catch it on the way down (capture), and send one from the form once the value
  // is right, so the page projects once per click.
  const swallow = (event: Event) => {
    if (event.target === form) return;
    event.stopPropagation();
    if (event.type === "input") update();
  };
  form.addEventListener("input", swallow, {capture: true});
  form.addEventListener("change", swallow, {capture: true});
  form.addEventListener("submit", (event) => event.preventDefault());
  update(false);
  return picker;
}
