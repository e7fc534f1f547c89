/**
 * WhatsApp message templates (issue 15): after Meta's 24-hour customer-service window closes,
 * a business may only send an approved template. The agent picks one and fills its body
 * parameters ({{1}}, {{2}}, …); the presence service lists and sends them through the Graph API.
 * @see https://developers.facebook.com/docs/graph-api/reference/whats-app-business-hsm/
 */
import { z } from 'zod';

/** Meta allows more, but a chat template with more body parameters than this is not one an agent fills by hand. */
export const MAX_TEMPLATE_PARAMS = 10;
export const MAX_TEMPLATE_PARAM_CHARS = 1024;

export const WhatsAppTemplate = z.object({
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'a template name (lowercase letters, digits, underscores)'),
  language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'a language code such as en_US'),
  category: z.string().max(40),
  /** The BODY component's text with its {{n}} placeholders. */
  body: z.string().max(1024),
  /** How many body parameters it takes. */
  params: z.number().int().min(0).max(MAX_TEMPLATE_PARAMS),
});
export type WhatsAppTemplate = z.infer<typeof WhatsAppTemplate>;

/** The number of distinct {{n}} placeholders in a template body. */
export function templateParamCount(body: string): number {
  return new Set([...body.matchAll(/\{\{(\d+)\}\}/g)].map((m) => m[1])).size;
}

/** The body with {{n}} replaced by the n-th parameter (what the customer reads, and what Jira records). */
export function fillTemplate(body: string, parameters: readonly string[]): string {
  return body.replace(/\{\{(\d+)\}\}/g, (m, n: string) => parameters[Number(n) - 1] ?? m);
}
