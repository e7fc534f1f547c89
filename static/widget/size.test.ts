import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { measureWidgetSize, WIDGET_GZIP_BUDGET_BYTES } from './testing/size.js';

test('widget.js is at most 22 KB gzipped', async () => {
  const { raw, gzip } = await measureWidgetSize();
  assert.ok(raw > 1000, 'the bundle was built');
  assert.ok(gzip <= WIDGET_GZIP_BUDGET_BYTES, `widget.js is ${gzip} bytes gzipped, budget ${WIDGET_GZIP_BUDGET_BYTES}`);
});

test.run();
