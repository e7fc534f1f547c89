/**
 * The WhatsApp credentials a site admin enters (remote call `whatsapp.put`, admin resolver
 * `admin.saveWhatsApp`). Written with zod/mini, which classic zod objects accept as fields:
 * the admin page validates with these very schemas, and zod/mini adds about 14 KB to its
 * bundle where classic zod would add about 450 KB.
 */
import * as z from 'zod/mini';

/** Meta's numeric ids: the phone number id and the WhatsApp Business Account id. */
const MetaId = z.string().check(z.regex(/^[0-9]{5,30}$/));

export const WhatsAppCredentialFields = {
  phoneNumberId: MetaId,
  accessToken: z.string().check(z.minLength(10), z.maxLength(1000)),
  appSecret: z.string().check(z.minLength(10), z.maxLength(200)),
  verifyToken: z.string().check(z.minLength(8), z.maxLength(200)),
  /** Where the approved message templates are listed (issue 15). */
  wabaId: MetaId,
};
