/**
 * Registers one resolver with its contract from protocol/resolvers.ts: the payload is
 * validated before the handler runs, the answer is checked against the response schema
 * before it leaves, and every failure reaches the UI as an Error whose message starts
 * with a machine-readable code ("forbidden: you are not an agent of project HR").
 */
import type Resolver from '@forge/resolver';
import type { z } from 'zod';
import { Resolvers, type ResolverName, type ResolverResponse } from '../../protocol/resolvers.js';
import { AppError, describeIssues, forbidden } from '../lib/errors.js';

export interface Caller {
  accountId: string;
}

type Req<N extends ResolverName> = z.infer<(typeof Resolvers)[N]['req']>;
export type Handler<N extends ResolverName> = (req: Req<N>, caller: Caller) => Promise<ResolverResponse<N>>;

export function define<N extends ResolverName>(r: Resolver, name: N, handler: Handler<N>): void {
  const spec = Resolvers[name];
  r.define(name, async ({ payload, context }: { payload: unknown; context: { accountId?: string } }) => {
    try {
      const accountId = context?.accountId;
      if (!accountId) throw forbidden('this resolver needs a signed-in Atlassian account');
      const parsed = spec.req.safeParse(payload ?? {});
      if (!parsed.success) throw new AppError('invalid', `${name}: ${describeIssues(parsed.error.issues)}`);
      const result = await handler(parsed.data as Req<N>, { accountId });
      const checked = spec.res.safeParse(result);
      if (!checked.success) throw new AppError('internal', `${name} built an answer outside its contract: ${describeIssues(checked.error.issues)}`);
      return checked.data as Record<string, unknown>;
    } catch (e) {
      if (e instanceof AppError) throw new Error(`${e.code}: ${e.message}`);
      throw new Error(`internal: ${e instanceof Error ? e.message : 'unexpected failure'}`);
    }
  });
}
