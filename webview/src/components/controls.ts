// Small wrappers over the toolkit's controls so views never touch toolkit elements directly.

import { TAGS } from "./toolkit.js";

export function button(
  label: string,
  onClick: () => void,
  opts: { title?: string; secondary?: boolean; id?: string } = {},
): HTMLElement {
  const el = document.createElement(TAGS.button);
  el.textContent = label;
  if (opts.secondary) el.setAttribute("appearance", "secondary");
  if (opts.title) {
    el.title = opts.title;
    el.setAttribute("aria-label", opts.title);
  }
  if (opts.id) el.id = opts.id;
  el.addEventListener("click", onClick);
  return el;
}

export interface Choice {
  value: string;
  label: string;
}

export function dropdown(
  choices: readonly Choice[],
  value: string,
  onChange: (value: string) => void,
  opts: { title?: string; id?: string } = {},
): HTMLElement {
  const el = document.createElement(TAGS.dropdown) as HTMLElement & { value: string };
  if (opts.title) el.title = opts.title;
  if (opts.id) el.id = opts.id;
  for (const c of choices) {
    const o = document.createElement(TAGS.option);
    o.setAttribute("value", c.value);
    o.textContent = c.label;
    if (c.value === value) o.setAttribute("selected", "");
    el.appendChild(o);
  }
  el.addEventListener("change", () => onChange(el.value));
  return el;
}

export function checkbox(
  label: string,
  checked: boolean,
  onChange: (checked: boolean) => void,
  opts: { id?: string } = {},
): HTMLElement {
  const el = document.createElement(TAGS.checkbox) as HTMLElement & { checked: boolean };
  el.textContent = label;
  if (checked) el.setAttribute("checked", "");
  if (opts.id) el.id = opts.id;
  el.addEventListener("change", () => onChange(el.checked));
  return el;
}

export function textField(
  placeholder: string,
  value: string,
  onInput: (value: string) => void,
  opts: { id?: string } = {},
): HTMLElement {
  const el = document.createElement(TAGS.textField) as HTMLElement & { value: string };
  el.setAttribute("placeholder", placeholder);
  el.setAttribute("value", value);
  if (opts.id) el.id = opts.id;
  el.addEventListener("input", () => onInput(el.value));
  return el;
}

/** A button that stays pressed (aria-pressed) while its setting is on: a checkbox's job in a
 *  toolbar that must fit a side panel. */
export function toggle(
  label: string,
  on: boolean,
  onChange: (on: boolean) => void,
  opts: { title?: string; id?: string } = {},
): HTMLElement {
  const el = button(
    label,
    () => {
      const next = el.getAttribute("aria-pressed") !== "true";
      el.setAttribute("aria-pressed", String(next));
      el.setAttribute("appearance", next ? "primary" : "secondary");
      onChange(next);
    },
    { ...opts, secondary: !on },
  );
  el.setAttribute("aria-pressed", String(on));
  return el;
}
