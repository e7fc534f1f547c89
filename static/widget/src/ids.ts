import { newClientMsgId } from '../../ui-kit/ids.js';

/**
 * One opaque id per page load, sent as the socket's `rid` and uploads' X-Request-Id, so the
 * presence service's logs and the app's webtrigger calls of this visit can be matched up.
 */
export const sessionRequestId: string = 'w' + newClientMsgId().slice(0, 24);
