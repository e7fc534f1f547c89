import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sniffFile, TextProbe, type SniffResult } from './sniff.js';

/** A stored (uncompressed) zip with the given entries: enough for type detection. */
function zip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const data = Buffer.from(text);
    const nameBuf = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, data);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const contentTypes = (main: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/main.xml" ContentType="${main}"/></Types>`;

let dir: string;
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'att-sniff-'));
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function sniff(bytes: Buffer): Promise<SniffResult> {
  const path = join(dir, `f${Math.random().toString(36).slice(2)}`);
  await writeFile(path, bytes);
  const probe = new TextProbe();
  // Feed the probe in awkward pieces, as the network would (split multi-byte characters).
  for (let i = 0; i < bytes.length; i += 3) probe.push(bytes.subarray(i, i + 3));
  return sniffFile(path, bytes.length, probe);
}

const mimeOf = (r: SniffResult) => (r.ok ? r.type.mime : `refused:${r.reason}`);

test('images and PDF are recognised by their magic bytes', async () => {
  assert.is(mimeOf(await sniff(Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'))), 'image/gif');
  assert.is(mimeOf(await sniff(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]), Buffer.from('JFIF\0'), Buffer.alloc(64)]))), 'image/jpeg');
  assert.is(mimeOf(await sniff(Buffer.concat([Buffer.from('RIFF'), Buffer.from([36, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(32)]))), 'image/webp');
  assert.is(mimeOf(await sniff(Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'))), 'application/pdf');
});

test('Word and Excel documents are accepted; their macro-enabled kin and plain zips are not', async () => {
  const docx = zip({
    '[Content_Types].xml': contentTypes('application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml'),
    'word/document.xml': '<w:document/>',
  });
  assert.is(mimeOf(await sniff(docx)), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  const xlsx = zip({
    '[Content_Types].xml': contentTypes('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml'),
    'xl/workbook.xml': '<workbook/>',
  });
  assert.is(mimeOf(await sniff(xlsx)), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const docm = zip({ '[Content_Types].xml': contentTypes('application/vnd.ms-word.document.macroEnabled.main+xml'), 'word/document.xml': '<w:document/>' });
  assert.is(mimeOf(await sniff(docm)), 'refused:unsupported');
  assert.is(mimeOf(await sniff(zip({ 'run.sh': '#!/bin/sh\nrm -rf ~\n' }))), 'refused:unsupported');
});

test('text is judged on the whole file: UTF-8 split across chunks passes, a late bad byte fails', async () => {
  assert.is(mimeOf(await sniff(Buffer.from('größe ✓ 😀\n'.repeat(50)))), 'text/plain');
  assert.is(mimeOf(await sniff(Buffer.concat([Buffer.from('a'.repeat(10_000)), Buffer.from([0xc3])]))), 'refused:unsupported');
  assert.is(mimeOf(await sniff(Buffer.from('\uFEFF  \n<html><body>hi</body></html>'))), 'refused:markup');
});

test('executables are refused', async () => {
  assert.is(mimeOf(await sniff(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]))), 'refused:unsupported');
  assert.is(mimeOf(await sniff(Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(100)]))), 'refused:unsupported');
});

test.run();
