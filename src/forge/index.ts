// Handlers named by manifest.yml (function handlers forge/index.<export>). Re-exports only.
export { resolver } from './resolvers/index.js';
export { inbound } from './webtrigger/inbound.js';
export { onComment } from './triggers/comments.js';
export { onIssue } from './triggers/issues.js';
export { onLifecycle } from './triggers/lifecycle.js';
export { onPersonalDataReport } from './triggers/personal-data.js';
