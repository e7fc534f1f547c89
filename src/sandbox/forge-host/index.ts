export { startForgeHost } from './host.js';
export type { ForgeHost, ForgeHostOptions } from './host.js';
export type { JsmLike, JsmUser, JsmPrincipal } from './types.js';
export { AccountDirectory } from './privacy.js';
