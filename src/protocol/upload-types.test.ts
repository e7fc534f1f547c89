import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_MAX_UPLOAD_BYTES } from './limits.js';
import { formatBytes, refuseUpload, UPLOAD_ACCEPT_ATTRIBUTE } from './upload-types.js';

test('refuseUpload: size, emptiness and type are judged before any upload', () => {
  assert.is(refuseUpload({ name: 'shot.png', size: 10, type: 'image/png' }), null);
  assert.is(refuseUpload({ name: 'notes.md', size: 10, type: '' }), null, 'no browser type, accepted ending');
  assert.is(refuseUpload({ name: 'data.csv', size: 10, type: 'text/csv' }), null);
  assert.is(refuseUpload({ name: 'big.pdf', size: DEFAULT_MAX_UPLOAD_BYTES + 1, type: 'application/pdf' }), 'too_large');
  assert.is(refuseUpload({ name: 'big.pdf', size: DEFAULT_MAX_UPLOAD_BYTES, type: 'application/pdf' }), null, 'the limit itself is allowed');
  assert.is(refuseUpload({ name: 'empty.txt', size: 0, type: 'text/plain' }), 'empty');
  assert.is(refuseUpload({ name: 'setup.exe', size: 10, type: 'application/x-msdownload' }), 'unsupported_type');
  assert.is(refuseUpload({ name: 'page.html', size: 10, type: 'text/html' }), 'unsupported_type');
  assert.is(refuseUpload({ name: 'archive.zip', size: 10, type: 'application/zip' }), 'unsupported_type');
  assert.is(refuseUpload({ name: 'README', size: 10, type: '' }), 'unsupported_type');
});

test('the accept attribute lists types and endings; sizes read as people read them', () => {
  for (const part of ['image/png', '.png', 'application/pdf', '.docx', '.txt']) assert.ok(UPLOAD_ACCEPT_ATTRIBUTE.split(',').includes(part), part);
  assert.not.ok(UPLOAD_ACCEPT_ATTRIBUTE.includes('html'));
  assert.is(formatBytes(DEFAULT_MAX_UPLOAD_BYTES), '10 MB');
  assert.is(formatBytes(1536), '2 KB');
});

test.run();
