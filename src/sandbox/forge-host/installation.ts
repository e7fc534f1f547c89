/**
 * The persisted facts of this host's one installation: its ids, the webtrigger URL ids
 * (stable across restarts, as Forge's are) and whether the install event was delivered.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { JsonFileWriter, readJsonFile } from './json-file.js';

interface InstallationFile {
  installationId: string;
  environmentId: string;
  installedFired: boolean;
  webtriggerIds: Record<string, string>;
}

export class Installation {
  private constructor(
    private readonly data: InstallationFile,
    private readonly writer: JsonFileWriter,
  ) {}

  static async open(dataDir: string): Promise<Installation> {
    const file = path.join(dataDir, 'installation.json');
    const existing = await readJsonFile<InstallationFile>(file);
    const data = existing ?? { installationId: randomUUID(), environmentId: randomUUID(), installedFired: false, webtriggerIds: {} };
    const inst = new Installation(data, new JsonFileWriter(file));
    if (!existing) await inst.save();
    return inst;
  }

  get installationId(): string {
    return this.data.installationId;
  }
  get environmentId(): string {
    return this.data.environmentId;
  }
  get installedFired(): boolean {
    return this.data.installedFired;
  }

  async markInstalledFired(): Promise<void> {
    this.data.installedFired = true;
    await this.save();
  }

  /** The URL id of a webtrigger module: unguessable, created once. */
  async webtriggerId(moduleKey: string): Promise<string> {
    let id = this.data.webtriggerIds[moduleKey];
    if (!id) {
      id = randomBytes(18).toString('base64url');
      this.data.webtriggerIds[moduleKey] = id;
      await this.save();
    }
    return id;
  }

  async deleteWebtriggerId(id: string): Promise<boolean> {
    const entry = Object.entries(this.data.webtriggerIds).find(([, v]) => v === id);
    if (!entry) return false;
    delete this.data.webtriggerIds[entry[0]];
    await this.save();
    return true;
  }

  moduleKeyOfWebtriggerId(id: string): string | undefined {
    return Object.entries(this.data.webtriggerIds).find(([, v]) => v === id)?.[0];
  }

  webtriggerEntries(): [string, string][] {
    return Object.entries(this.data.webtriggerIds);
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  private save(): Promise<void> {
    return this.writer.write(() => this.data);
  }
}
