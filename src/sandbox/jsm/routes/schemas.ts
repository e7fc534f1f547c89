/** Request body schemas checked at the HTTP boundary. */
import { z } from 'zod';
import type { AdfDoc } from '../../../protocol/adf.js';

const AdfNode: z.ZodType<unknown> = z.lazy(() => z.looseObject({ type: z.string().min(1), content: z.array(AdfNode).optional(), text: z.string().optional() }));

export const AdfDocSchema = z
  .looseObject({
    type: z.literal('doc', 'Operation value must be an Atlassian Document (see the Atlassian Document Format)'),
    version: z.literal(1, 'Operation value must be an Atlassian Document (see the Atlassian Document Format)'),
    content: z.array(AdfNode),
  })
  .transform((d) => d as unknown as AdfDoc);

export const AccountRef = z.looseObject({ accountId: z.string().min(1).max(128) });
export const EntityPropertyInput = z.object({ key: z.string().min(1).max(255), value: z.unknown() });

export const IssueEditBody = z.looseObject({
  fields: z.record(z.string(), z.unknown()).optional(),
  update: z.record(z.string(), z.unknown()).optional(),
  properties: z.array(EntityPropertyInput).optional(),
});

export const IssueCreateBody = z.looseObject({
  fields: z.looseObject({
    project: z.looseObject({ key: z.string().optional(), id: z.string().optional() }),
    summary: z.string().min(1, 'You must specify a summary of the issue.').max(255),
    issuetype: z.looseObject({ id: z.string().optional(), name: z.string().optional() }),
    description: AdfDocSchema.nullish(),
    reporter: AccountRef.optional(),
  }),
  properties: z.array(EntityPropertyInput).optional(),
});

export const AssigneeBody = z.looseObject({ accountId: z.string().min(1).max(128).nullable() });

export const TransitionBody = z.looseObject({
  transition: z.looseObject({ id: z.string().min(1) }),
  fields: z.record(z.string(), z.unknown()).optional(),
  update: z.record(z.string(), z.unknown()).optional(),
});

export const CommentBody = z.looseObject({
  body: AdfDocSchema,
  visibility: z.looseObject({ type: z.string(), value: z.string().optional(), identifier: z.string().optional() }).nullish(),
  properties: z.array(EntityPropertyInput).optional(),
});

export const SearchBody = z.looseObject({
  jql: z.string().optional(),
  nextPageToken: z.string().nullish(),
  maxResults: z.number().int().min(0).optional(),
  fields: z.array(z.string()).optional(),
  expand: z.string().optional(),
  properties: z.array(z.string()).optional(),
  fieldsByKeys: z.boolean().optional(),
  reconcileIssues: z.array(z.number()).optional(),
});

export const CustomerCreateBody = z.looseObject({
  email: z.string().email('The email address is invalid.').max(255),
  displayName: z.string().min(1).max(255).optional(),
  fullName: z.string().min(1).max(255).optional(),
});

export const AddCustomersBody = z.looseObject({
  accountIds: z.array(z.string().min(1)).optional(),
  usernames: z.array(z.string()).optional(),
});

export const RequestCreateBody = z.looseObject({
  serviceDeskId: z.string().min(1),
  requestTypeId: z.string().min(1),
  requestFieldValues: z.looseObject({ summary: z.string().optional(), description: z.unknown().optional() }),
  raiseOnBehalfOf: z.string().optional(),
  requestParticipants: z.array(z.string()).optional(),
  isAdfRequest: z.boolean().optional(),
  channel: z.string().optional(),
});

export const SdCommentBody = z.looseObject({
  body: z.string().min(1, 'Comment body can not be empty.'),
  public: z.boolean().optional(),
});

/** CSATFeedbackFullDTO: `type` "supported values: csat", `rating` "an integer value between 1 and 5". */
export const FeedbackBody = z.looseObject({
  type: z.literal('csat', 'Supported feedback types: csat').optional(),
  rating: z
    .number({ error: 'The rating must be an integer value between 1 and 5.' })
    .int('The rating must be an integer value between 1 and 5.')
    .min(1, 'The rating must be an integer value between 1 and 5.')
    .max(5, 'The rating must be an integer value between 1 and 5.'),
  comment: z.looseObject({ body: z.string().max(32_767).optional() }).optional(),
});
