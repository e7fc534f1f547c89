/**
 * A subset of Atlassian design tokens (the `--ds-*` CSS variables Jira defines when an app calls
 * `view.theme.enable()`), for light and dark, keyed off `html[data-color-mode]` as in Jira.
 */
export type ColorMode = 'light' | 'dark';

export function parseColorMode(v: unknown): ColorMode {
  return v === 'dark' ? 'dark' : 'light';
}

const TOKENS: Readonly<Record<string, readonly [light: string, dark: string]>> = Object.freeze({
  text: ['#172B4D', '#B6C2CF'],
  'text-subtle': ['#44546F', '#9FADBC'],
  'text-subtlest': ['#626F86', '#8C9BAB'],
  'text-inverse': ['#FFFFFF', '#1D2125'],
  'text-brand': ['#0C66E4', '#579DFF'],
  'text-selected': ['#0C66E4', '#579DFF'],
  'text-danger': ['#AE2E24', '#FD9891'],
  'text-warning': ['#A54800', '#F5CD47'],
  'text-success': ['#216E4E', '#7EE2B8'],
  'text-information': ['#0055CC', '#85B8FF'],
  'text-disabled': ['#091E424F', '#BFDBF847'],
  link: ['#0C66E4', '#579DFF'],
  'link-pressed': ['#0055CC', '#85B8FF'],
  icon: ['#44546F', '#9FADBC'],
  'icon-subtle': ['#626F86', '#8C9BAB'],
  'icon-brand': ['#0C66E4', '#579DFF'],
  'icon-danger': ['#C9372C', '#F15B50'],
  'icon-success': ['#22A06B', '#2ABB7F'],
  border: ['#091E4224', '#A6C5E229'],
  'border-bold': ['#758195', '#738496'],
  'border-focused': ['#388BFF', '#85B8FF'],
  'border-input': ['#8590A2', '#738496'],
  'border-brand': ['#0C66E4', '#579DFF'],
  surface: ['#FFFFFF', '#1D2125'],
  'surface-hovered': ['#F1F2F4', '#22272B'],
  'surface-pressed': ['#DCDFE4', '#282E33'],
  'surface-sunken': ['#F7F8F9', '#161A1D'],
  'surface-raised': ['#FFFFFF', '#22272B'],
  'surface-overlay': ['#FFFFFF', '#282E33'],
  'background-neutral': ['#091E420F', '#A1BDD914'],
  'background-neutral-hovered': ['#091E4224', '#A6C5E229'],
  'background-neutral-subtle': ['#00000000', '#00000000'],
  'background-neutral-subtle-hovered': ['#091E420F', '#A1BDD914'],
  'background-brand-bold': ['#0C66E4', '#579DFF'],
  'background-brand-bold-hovered': ['#0055CC', '#85B8FF'],
  'background-selected': ['#E9F2FF', '#1C2B41'],
  'background-input': ['#FFFFFF', '#22272B'],
  'background-disabled': ['#091E4208', '#BCD6F00A'],
  'background-danger': ['#FFECEB', '#42221F'],
  'background-danger-bold': ['#C9372C', '#F87168'],
  'background-warning': ['#FFF7D6', '#533F04'],
  'background-success': ['#DCFFF1', '#1C3329'],
  'background-success-bold': ['#1F845A', '#4BCE97'],
  'background-information': ['#E9F2FF', '#1C2B41'],
  'background-discovery': ['#F3F0FF', '#2B273F'],
  'elevation-surface': ['#FFFFFF', '#1D2125'],
  'elevation-surface-sunken': ['#F7F8F9', '#161A1D'],
  'elevation-surface-raised': ['#FFFFFF', '#22272B'],
  'elevation-surface-overlay': ['#FFFFFF', '#282E33'],
  'shadow-raised': ['0px 1px 1px #091E4240, 0px 0px 1px #091E424F', '0px 0px 0px 1px #00000000, 0px 1px 1px #03040480, 0px 0px 1px #03040480'],
  'shadow-overlay': ['0px 8px 12px #091E4226, 0px 0px 1px #091E424F', '0px 0px 0px 1px #BCD6F01F, 0px 8px 12px #0304045C, 0px 0px 1px #03040480'],
});

function block(selector: string, idx: 0 | 1): string {
  const vars = Object.entries(TOKENS)
    .map(([k, v]) => `  --ds-${k}: ${v[idx]};`)
    .join('\n');
  return `${selector} {\n${vars}\n  color-scheme: ${idx === 0 ? 'light' : 'dark'};\n}`;
}

/** The token stylesheet Custom UI frames and the Jira-like pages load. */
export const THEME_CSS = `${block('html[data-color-mode="light"], :root', 0)}\n${block('html[data-color-mode="dark"]', 1)}\n`;
