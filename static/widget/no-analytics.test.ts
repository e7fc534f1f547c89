/**
 * The widget carries no analytics code at all (docs/analytics.md): analytics events come
 * from the Forge app, so with the switch off there is nothing in a visitor's browser to
 * turn off. The shipped bundle is built here in memory and searched for any analytics
 * host or API.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { build } from 'esbuild';
import { WIDGET_TARGET, WIDGET_TSCONFIG } from '../../scripts/build.js';

test('widget.js loads no analytics code and names no analytics host', async () => {
  const out = await build({
    entryPoints: [join(import.meta.dirname, 'src', 'loader.ts')],
    bundle: true,
    minify: true,
    write: false,
    format: 'iife',
    target: [WIDGET_TARGET],
    tsconfigRaw: WIDGET_TSCONFIG,
    platform: 'browser',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    loader: { '.css': 'text', '.svg': 'text' },
    logLevel: 'silent',
  });
  const js = out.outputFiles.map((f) => f.text).join('\n');
  assert.ok(js.length > 1000, 'the bundle was built');
  for (const needle of ['google-analytics', 'googletagmanager', 'gtag(', 'mp/collect', 'bigquery', 'googleapis', 'measurement_id', 'sendBeacon']) {
    assert.not.ok(js.includes(needle), `widget.js contains "${needle}"`);
  }
});

test.run();
