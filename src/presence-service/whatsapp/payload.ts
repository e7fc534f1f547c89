/**
 * The webhook delivery as Meta sends it (Cloud API, field "messages"). Only what we use is
 * named; unknown fields are dropped, unknown message types parse (and are then ignored),
 * so a new Meta feature never turns a whole delivery into an error.
 */
import { z } from 'zod';

const Media = z.object({
  id: z.string().min(1).max(200),
  mime_type: z.string().max(200).optional(),
  filename: z.string().max(1000).optional(),
  caption: z.string().max(10_000).optional(),
});

export const WaMessage = z.object({
  from: z.string().regex(/^[0-9]{6,20}$/),
  id: z.string().min(1).max(200),
  timestamp: z.string().max(20).optional(),
  type: z.string().max(40),
  text: z.object({ body: z.string() }).optional(),
  image: Media.optional(),
  document: Media.optional(),
});
export type WaMessage = z.infer<typeof WaMessage>;

export const WaValue = z.object({
  messaging_product: z.string().optional(),
  metadata: z.object({ phone_number_id: z.string().max(40), display_phone_number: z.string().max(40).optional() }),
  contacts: z
    .array(
      z.object({
        profile: z
          .object({ name: z.string().max(255) })
          .partial()
          .optional(),
        wa_id: z.string().max(40),
      }),
    )
    .max(100)
    .optional(),
  messages: z.array(WaMessage).max(100).optional(),
  statuses: z
    .array(z.object({ id: z.string().optional(), status: z.string().optional() }).passthrough())
    .max(1000)
    .optional(),
});
export type WaValue = z.infer<typeof WaValue>;

export const WaDelivery = z.object({
  object: z.string().optional(),
  entry: z.array(z.object({ id: z.string().optional(), changes: z.array(z.object({ field: z.string().optional(), value: WaValue })).max(100) })).max(100),
});
export type WaDelivery = z.infer<typeof WaDelivery>;
