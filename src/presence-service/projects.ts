/**
 * Project chat configuration, the public widget id -> project map, the identity
 * secret (sealed; never returned), and site settings. All durable, all site-scoped.
 */
import { ProjectChatConfig, type ProjectChatConfigInput } from '../protocol/model.js';
import { singleFlight } from './single-flight.js';
import type { Json, KeyValueStore } from './store/ports.js';
import { keys } from './store/keys.js';
import { serviceKeys } from './service-keys.js';
import { randomToken, type Crypto } from './crypto.js';

export const WIDGET_ID_BYTES = 15; // 20 base64url chars; stripped of -_ to fit the WidgetId pattern
export const IDENTITY_SECRET_BYTES = 32;

export interface WidgetRef {
  installationId: string;
  projectKey: string;
}

export interface SiteSettings {
  analytics: boolean;
}

function newWidgetId(): string {
  let id = '';
  while (id.length < 20) id += randomToken(WIDGET_ID_BYTES).replace(/[-_]/g, '');
  return 'w_' + id.slice(0, 20);
}

export class Projects {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly crypto: Crypto,
    private readonly now: () => number,
  ) {}

  async widget(widgetId: string): Promise<WidgetRef | null> {
    return this.kv.get<{ installationId: string; projectKey: string }>(keys.widget(widgetId));
  }

  /** Concurrent reads of one project's config (every visitor refreshing at once) share one store read. */
  readonly get = singleFlight(
    (installationId: string, projectKey: string) => keys.projectConfig(installationId, projectKey),
    async (installationId: string, projectKey: string): Promise<ProjectChatConfig | null> => {
      const raw = await this.kv.get(keys.projectConfig(installationId, projectKey));
      const parsed = ProjectChatConfig.safeParse(raw);
      return parsed.success ? parsed.data : null;
    },
  );

  /** Writes the settings page's input; keeps the widget id stable once generated. */
  async put(installationId: string, input: ProjectChatConfigInput): Promise<ProjectChatConfig> {
    const prev = await this.get(installationId, input.projectKey);
    const widgetId = prev?.widgetId ?? newWidgetId();
    const hasIdentitySecret = (await this.kv.get(keys.identitySecret(installationId, input.projectKey))) !== null;
    const config = ProjectChatConfig.parse({ ...input, widgetId, hasIdentitySecret, updatedAt: new Date(this.now()).toISOString() });
    if (!prev) await this.kv.set(keys.widget(widgetId), { installationId, projectKey: input.projectKey });
    await this.kv.set(keys.projectConfig(installationId, input.projectKey), config as unknown as Json);
    this.get.forget(keys.projectConfig(installationId, input.projectKey));
    return config;
  }

  async rotateSecret(installationId: string, projectKey: string): Promise<string> {
    const secret = randomToken(IDENTITY_SECRET_BYTES);
    await this.kv.set(keys.identitySecret(installationId, projectKey), this.crypto.encrypt(secret));
    const config = await this.get(installationId, projectKey);
    if (config && !config.hasIdentitySecret) {
      await this.kv.set(keys.projectConfig(installationId, projectKey), { ...config, hasIdentitySecret: true } as unknown as Json);
      this.get.forget(keys.projectConfig(installationId, projectKey));
    }
    return secret;
  }

  async identitySecret(installationId: string, projectKey: string): Promise<string | null> {
    const sealed = await this.kv.get<string>(keys.identitySecret(installationId, projectKey));
    return sealed ? this.crypto.decrypt(sealed) : null;
  }

  async settings(installationId: string, dflt: SiteSettings): Promise<SiteSettings> {
    return (await this.kv.get<{ analytics: boolean }>(serviceKeys.settings(installationId))) ?? dflt;
  }

  async putSettings(installationId: string, settings: SiteSettings): Promise<void> {
    await this.kv.set(serviceKeys.settings(installationId), { ...settings });
  }
}
