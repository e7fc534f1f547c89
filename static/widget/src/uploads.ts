import { DEFAULT_MAX_UPLOAD_BYTES } from '../../../src/protocol/limits.js';
import { newClientMsgId } from '../../ui-kit/ids.js';
import { mergeView, type ViewMessage } from './messages.js';
import type { Sender } from './sending.js';
import type { Core } from './state.js';
import type { Store } from './storage.js';
import { uploadFile, UploadError } from './upload.js';

/** Files the visitor sends: uploaded over HTTP with progress, then sent as `attachment.send` through the outbox. */
export class Uploads {
  /** Files not uploaded yet, kept for Retry. */
  private readonly files = new Map<string, File>();

  constructor(
    private readonly core: Core,
    private readonly sender: Sender,
    private readonly origin: string,
    private readonly store: Store,
  ) {}

  add(file: File): void {
    const { core } = this;
    if (!core.state.conversationId || !core.state.config?.attachments) return;
    const clientMsgId = newClientMsgId();
    const mime = file.type || 'application/octet-stream';
    const view: ViewMessage = {
      key: clientMsgId,
      clientMsgId,
      kind: 'customer',
      name: '',
      text: '',
      at: new Date().toISOString(),
      attachment: { id: '', name: file.name || 'file', size: file.size, mime },
      delivery: 'sending',
      progress: 0,
    };
    this.files.set(clientMsgId, file);
    core.set({ messages: mergeView(core.state.messages, [view]) });
    if (file.size > DEFAULT_MAX_UPLOAD_BYTES)
      return core.updateMessage(clientMsgId, { delivery: 'failed', retryable: false, progress: undefined, error: 'too_large' });
    void this.upload(file, clientMsgId);
  }

  /** Retry of a file that never reached the service: uploads it again (true). */
  retry(m: ViewMessage): boolean {
    const file = this.files.get(m.clientMsgId!);
    if (!file || m.attachment?.id) return false;
    this.core.updateMessage(m.clientMsgId!, { delivery: 'sending', progress: 0, error: undefined });
    void this.upload(file, m.clientMsgId!);
    return true;
  }

  clear(): void {
    this.files.clear();
  }

  private async upload(file: File, clientMsgId: string): Promise<void> {
    const { core } = this;
    const token = this.store.get<string>('token');
    const conversationId = core.state.conversationId;
    if (!token || !conversationId) return core.updateMessage(clientMsgId, { delivery: 'failed', retryable: true, progress: undefined, error: 'upload' });
    try {
      const attachment = await uploadFile(this.origin, token, conversationId, file, (p) => core.updateMessage(clientMsgId, { progress: p }));
      this.files.delete(clientMsgId);
      core.updateMessage(clientMsgId, { attachment, progress: undefined });
      this.sender.outbox.push({ kind: 'file', clientMsgId, attachment, at: new Date().toISOString() });
      this.sender.pump();
    } catch (e) {
      const err = e instanceof UploadError ? e : new UploadError('network');
      // Only a network failure or a service hiccup is worth retrying; a refused file stays refused.
      const retryable = err.code === 'network' || err.status >= 500;
      core.updateMessage(clientMsgId, {
        delivery: 'failed',
        retryable,
        progress: undefined,
        error: err.code === 'too_large' || err.code === 'unsupported_type' ? err.code : 'upload',
      });
    }
  }
}
