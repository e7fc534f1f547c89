/**
 * Which issue-property paths Jira has indexed for JQL. Jira indexes an entity property
 * only when an installed app declares it in a `jira:entityProperty` module (or the
 * Connect equivalent); `issue.property[key].path` on anything else is an unknown field.
 * The local Forge host tells the stand-in what the installed manifest declares.
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-entity-property/
 * @see https://developer.atlassian.com/cloud/jira/platform/jira-entity-properties/
 */
import { badRequest } from './errors.js';

export type IndexedType = 'number' | 'string' | 'text' | 'user' | 'date';

/** One `jira:entityProperty` module as the manifest declares it. */
export interface EntityPropertyDeclaration {
  propertyKey: string;
  /** Defaults to 'issue' as in the manifest. */
  entityType?: 'issue' | 'project' | 'user';
  values: { path: string; type: IndexedType; searchAlias?: string }[];
}

export interface IndexedPath {
  propertyKey: string;
  path: string;
  type: IndexedType;
}

/** "The maximum number of elements to index is 30" across all of an app's modules. */
export const MAX_INDEXED_VALUES = 30;

export class EntityIndex {
  private byField = new Map<string, IndexedPath>();
  private aliases = new Map<string, string>();

  /** Replaces the installed app's declarations (an install or upgrade re-reads the manifest). */
  install(declarations: readonly EntityPropertyDeclaration[]): void {
    const issueDecls = declarations.filter((d) => (d.entityType ?? 'issue') === 'issue');
    const count = declarations.reduce((n, d) => n + d.values.length, 0);
    if (count > MAX_INDEXED_VALUES) throw badRequest(`An app may index at most ${MAX_INDEXED_VALUES} entity property values; the manifest declares ${count}.`);
    this.byField.clear();
    this.aliases.clear();
    for (const d of issueDecls) {
      for (const v of d.values) {
        const field = `issue.property[${d.propertyKey}].${v.path}`;
        this.byField.set(field, { propertyKey: d.propertyKey, path: v.path, type: v.type });
        if (v.searchAlias) this.aliases.set(v.searchAlias.toLowerCase(), field);
      }
    }
  }

  /** The canonical `issue.property[k].path` for a search alias, if one is declared. */
  aliasOf(name: string): string | undefined {
    return this.aliases.get(name.toLowerCase());
  }

  lookup(field: string): IndexedPath | undefined {
    return this.byField.get(field);
  }

  get declaredFields(): string[] {
    return [...this.byField.keys()];
  }
}
