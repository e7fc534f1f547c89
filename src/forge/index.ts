// Handlers named by manifest.yml (function handlers forge/index.<export>). Re-exports only,
// each wrapped so the analytics events it records are sent when it finishes (analytics/outbox.ts).
import { withAnalytics } from './analytics/index.js';
import { resolver as resolverFn } from './resolvers/index.js';
import { inbound as inboundFn } from './webtrigger/inbound.js';
import { onComment as onCommentFn } from './triggers/comments.js';
import { onIssue as onIssueFn } from './triggers/issues.js';

export const resolver = withAnalytics(resolverFn);
export const inbound = withAnalytics(inboundFn);
export const onComment = withAnalytics(onCommentFn);
export const onIssue = withAnalytics(onIssueFn);
import { onMissedSweep as onMissedSweepFn } from './triggers/missed.js';

export const onMissedSweep = withAnalytics(onMissedSweepFn);
export { onLifecycle } from './triggers/lifecycle.js';
export { onPersonalDataReport } from './triggers/personal-data.js';
