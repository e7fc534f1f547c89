import type { RemoteCallName, RemoteResponse, RemoteCalls } from '../../protocol/remote.js';
import type { z } from 'zod';
import type { Ctx } from '../context.js';
import type { ForgeCaller } from '../auth/fit.js';

export type RemoteHandler<N extends RemoteCallName> = (
  ctx: Ctx,
  caller: ForgeCaller,
  body: z.infer<(typeof RemoteCalls)[N]['req']>,
) => Promise<RemoteResponse<N>>;
export type RemoteHandlers<N extends RemoteCallName> = { [K in N]: RemoteHandler<K> };
