/**
 * Display conditions of Jira UI modules (`displayConditions` in manifest.yml), following
 * https://developer.atlassian.com/platform/forge/manifest-reference/display-conditions/jira/
 * Conditions listed together must all hold. The host evaluates only the conditions the
 * page it renders can know (the project of the issue or page); a manifest naming any other
 * condition is refused at load time rather than shown everywhere, so an app cannot pass
 * here and then be hidden, or shown where it must not be, in Jira.
 */

/** Condition -> where its value comes from in the module's extension context. */
const EVALUATED = {
  // "Checks if the type of the project matches any of the provided values" (issue view,
  // project page and project settings conditions); Jira's projectTypeKey values.
  projectType: (ext: FrameExtension) => ext.project?.type,
  projectKey: (ext: FrameExtension) => ext.project?.key,
} as const;

/** Module types where the documentation lists project conditions; elsewhere they are false. */
const PROJECT_CONDITION_MODULES = new Set([
  'jira:issueContext',
  'jira:issuePanel',
  'jira:issueAction',
  'jira:issueActivity',
  'jira:projectPage',
  'jira:projectSettingsPage',
]);

export type DisplayConditions = Readonly<Record<string, string | readonly string[]>>;
export interface FrameExtension {
  type?: string;
  project?: { key?: string; type?: string };
}

/** Validates a module's `displayConditions`; throws a message naming what the host cannot evaluate. */
export function parseDisplayConditions(moduleKey: string, raw: unknown): DisplayConditions | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`module ${moduleKey}: displayConditions must be an object`);
  const out: Record<string, string | readonly string[]> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (!(name in EVALUATED)) {
      throw new Error(
        `module ${moduleKey}: the local Forge host cannot evaluate display condition "${name}" (it knows ${Object.keys(EVALUATED).join(', ')}); add it to src/sandbox/forge-host/display-conditions.ts as documented`,
      );
    }
    const ok = typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
    if (!ok) throw new Error(`module ${moduleKey}: display condition ${name} must be a string or a list of strings`);
    out[name] = Array.isArray(value) ? Object.freeze([...value]) : (value as string);
  }
  return Object.freeze(out);
}

/** Whether Jira would render the module for this extension context. */
export function isDisplayed(moduleType: string, conditions: DisplayConditions | undefined, ext: FrameExtension): boolean {
  if (!conditions) return true;
  return Object.entries(conditions).every(([name, wanted]) => {
    if (!PROJECT_CONDITION_MODULES.has(moduleType)) return false;
    const actual = EVALUATED[name as keyof typeof EVALUATED](ext);
    if (!actual) return false;
    return typeof wanted === 'string' ? actual === wanted : wanted.includes(actual);
  });
}
