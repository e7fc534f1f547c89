import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { contentDisposition, MAX_NAME_CHARS, sanitizeFileName } from './names.js';
import { PLAIN_TEXT, type SniffedType } from './sniff.js';

const PNG: SniffedType = { mime: 'image/png', ext: 'png', alsoExt: [] };
const JPEG: SniffedType = { mime: 'image/jpeg', ext: 'jpg', alsoExt: ['jpeg', 'jpe'] };

test('paths from either OS are stripped to the last segment', () => {
  assert.is(sanitizeFileName('../../etc/passwd', PNG), 'passwd.png');
  assert.is(sanitizeFileName('C:\\Users\\me\\Desktop\\shot.png', PNG), 'shot.png');
  assert.is(sanitizeFileName('/', PNG), 'file.png');
});

test('control characters and bidi overrides are removed', () => {
  assert.is(sanitizeFileName('invoice\u202Egnp.exe', PNG), 'invoicegnp.png');
  assert.is(sanitizeFileName('a\u0000b\u0007c\r\n.png', PNG), 'abc.png');
  assert.is(sanitizeFileName('zero\u200Bwidth\u2066.png', PNG), 'zerowidth.png');
});

test('the extension agrees with the sniffed type; known aliases are kept', () => {
  assert.is(sanitizeFileName('photo.html', JPEG), 'photo.jpg');
  assert.is(sanitizeFileName('photo.JPEG', JPEG), 'photo.jpeg');
  assert.is(sanitizeFileName('no-extension', PNG), 'no-extension.png');
  assert.is(sanitizeFileName('server.log', PLAIN_TEXT), 'server.log');
  assert.is(sanitizeFileName('page.svg', PLAIN_TEXT), 'page.txt');
  assert.is(sanitizeFileName('.htaccess', PLAIN_TEXT), 'htaccess.txt');
});

test('Windows-reserved names and characters are defused', () => {
  assert.is(sanitizeFileName('CON.png', PNG), '_CON.png');
  assert.is(sanitizeFileName('lpt1.txt.png', PNG), '_lpt1.txt.png');
  assert.is(sanitizeFileName('a<b>c:d"e|f?g*.png', PNG), 'a_b_c_d_e_f_g_.png');
  assert.is(sanitizeFileName(' ... ', PNG), 'file.png');
});

test('long names are cut by code point and keep their extension', () => {
  const long = sanitizeFileName('😀'.repeat(300) + '.png', PNG);
  assert.ok(Array.from(long).length <= MAX_NAME_CHARS);
  assert.ok(long.endsWith('.png'));
  assert.not.match(long, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/, 'a surrogate pair was split');
});

test('Content-Disposition is always attachment with an ASCII fallback and the exact UTF-8 name', () => {
  assert.is(contentDisposition('Bericht März "1".pdf'), `attachment; filename="Bericht M_rz _1_.pdf"; filename*=UTF-8''Bericht%20M%C3%A4rz%20%221%22.pdf`);
  assert.is(contentDisposition("it's (1).png"), `attachment; filename="it's (1).png"; filename*=UTF-8''it%27s%20%281%29.png`);
});

test.run();
