import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isDisplayed, parseDisplayConditions } from './display-conditions.js';

const sd = { project: { key: 'SUP', type: 'service_desk' } };
const sw = { project: { key: 'DEV', type: 'software' } };

test('projectType: shown in a matching project only, on issue view, project page and project settings modules', () => {
  const c = parseDisplayConditions('m', { projectType: 'service_desk' });
  for (const type of ['jira:issueContext', 'jira:projectPage', 'jira:projectSettingsPage']) {
    assert.ok(isDisplayed(type, c, sd), type);
    assert.not.ok(isDisplayed(type, c, sw), type);
  }
  assert.not.ok(isDisplayed('jira:issueContext', c, {}), 'unknown project type: not shown');
});

test('a list matches any value; several conditions must all hold; no conditions means shown', () => {
  assert.ok(isDisplayed('jira:projectPage', parseDisplayConditions('m', { projectType: ['software', 'service_desk'] }), sd));
  assert.not.ok(isDisplayed('jira:projectPage', parseDisplayConditions('m', { projectType: 'service_desk', projectKey: 'HR' }), sd));
  assert.ok(isDisplayed('jira:projectPage', undefined, sw));
});

test('project conditions are false in modules without a project context (as documented)', () => {
  assert.not.ok(isDisplayed('jira:adminPage', parseDisplayConditions('m', { projectType: 'service_desk' }), sd));
});

test('refuses conditions it cannot evaluate and malformed values', () => {
  assert.throws(() => parseDisplayConditions('m', { canAdministerJira: true }), /cannot evaluate display condition "canAdministerJira"/);
  assert.throws(() => parseDisplayConditions('m', { projectType: 3 }), /string or a list/);
  assert.throws(() => parseDisplayConditions('m', ['projectType']), /must be an object/);
});

test.run();
