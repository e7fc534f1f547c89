import type { OutgoingHttpHeaders } from 'node:http';
import { ErrorCode } from '../protocol/customer-ws.js';

/** 1011 (RFC 6455): the server met a condition that kept it from doing what was asked. */
export const CLOSE_INTERNAL = 1011;
/** 1008: the client broke a rule (auth, origin, abuse). */
export const CLOSE_POLICY = 1008;

/** Codes only HTTP answers carry; a WebSocket frame's code is always the protocol's ErrorCode. */
export type HttpOnlyCode =
  'bad_url' | 'method_not_allowed' | 'too_large' | 'expired' | 'link_expired' | 'bad_signature' | 'empty' | 'unsupported_type' | 'draining' | 'not_configured';
export type ServiceErrorCode = ErrorCode | HttpOnlyCode;

/**
 * Each code's HTTP status, and the close code when it ends a WebSocket (a refused `auth`):
 * the one place they are chosen, so no handler maps them its own way. Like ws's receiver,
 * an error knows how it is answered from the moment it is created.
 */
export const ANSWERS: { readonly [C in ServiceErrorCode]: { readonly status: number; readonly close: number } } = {
  bad_frame: { status: 400, close: CLOSE_POLICY },
  invalid: { status: 400, close: CLOSE_POLICY },
  bad_url: { status: 400, close: CLOSE_POLICY },
  empty: { status: 400, close: CLOSE_POLICY },
  unauthenticated: { status: 401, close: CLOSE_POLICY },
  forbidden: { status: 403, close: CLOSE_POLICY },
  origin_not_allowed: { status: 403, close: CLOSE_POLICY },
  verification_required: { status: 403, close: CLOSE_POLICY },
  bad_signature: { status: 403, close: CLOSE_POLICY },
  not_found: { status: 404, close: CLOSE_POLICY },
  not_configured: { status: 404, close: CLOSE_POLICY },
  method_not_allowed: { status: 405, close: CLOSE_POLICY },
  expired: { status: 410, close: CLOSE_POLICY },
  link_expired: { status: 410, close: CLOSE_POLICY },
  too_large: { status: 413, close: CLOSE_POLICY },
  unsupported_type: { status: 415, close: CLOSE_POLICY },
  rate_limited: { status: 429, close: CLOSE_POLICY },
  internal: { status: 500, close: CLOSE_INTERNAL },
  unavailable: { status: 503, close: CLOSE_INTERNAL },
  draining: { status: 503, close: CLOSE_INTERNAL },
};

/** An error a client may see: a machine-readable code and a message without secrets or text. */
export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly retryable = code === 'unavailable',
    /** Extra headers for its HTTP answer (CORS, WWW-Authenticate). */
    readonly headers: OutgoingHttpHeaders = {},
  ) {
    super(message);
    this.name = 'ServiceError';
  }

  /** The HTTP status this error is answered with. */
  get status(): number {
    return ANSWERS[this.code].status;
  }

  /** The close code when this error ends a WebSocket. */
  get closeCode(): number {
    return ANSWERS[this.code].close;
  }

  /** The code a WebSocket frame may carry: the protocol's own, else `internal`. */
  get wireCode(): ErrorCode {
    return isWireCode(this.code) ? this.code : 'internal';
  }

  /** The JSON body every HTTP error answer has. */
  toBody(): { error: { code: ServiceErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

function isWireCode(code: ServiceErrorCode): code is ErrorCode {
  return (ErrorCode.options as readonly string[]).includes(code);
}

/** Maps anything thrown to what a client may be told; store outages become `unavailable`. */
export function toServiceError(err: unknown): ServiceError {
  if (err instanceof ServiceError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'store_unavailable') return new ServiceError('unavailable', 'the service cannot reach its store; try again shortly');
  return new ServiceError('internal', 'internal error');
}
