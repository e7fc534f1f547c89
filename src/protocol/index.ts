export * from './limits.js';
export * from './ids.js';
export * from './schedule.js';
export * from './model.js';
export * from './customer-ws.js';
export * from './agent-ws.js';
export * from './webtrigger.js';
export * from './remote.js';
export * from './personal-data.js';
export * from './adf.js';
export * from './jira-properties.js';
// signature.ts uses node:crypto: import it directly from './signature.js' (not for browsers).
export * from './resolvers.js';
