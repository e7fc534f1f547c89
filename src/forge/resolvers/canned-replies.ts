/** Canned replies: read by the project's agents (issue panel), written by its admins (project settings). */
import type Resolver from '@forge/resolver';
import { forbidden } from '../lib/errors.js';
import { readCannedReplies, writeCannedReplies } from '../lib/canned-replies.js';
import { assertProjectAdmin, isAgentOfProject, isProjectAdmin } from '../lib/permissions.js';
import { define } from './define.js';

export function registerCannedReplies(r: Resolver): void {
  define(r, 'cannedReplies.list', async ({ projectKey }) => {
    const [agent, canEdit] = await Promise.all([isAgentOfProject(projectKey), isProjectAdmin(projectKey)]);
    if (!agent && !canEdit) throw forbidden(`you are not an agent of project ${projectKey}`);
    return { replies: await readCannedReplies(projectKey), canEdit };
  });

  define(r, 'cannedReplies.save', async ({ projectKey, replies }) => {
    await assertProjectAdmin(projectKey);
    await writeCannedReplies(projectKey, replies);
    return { replies };
  });
}
