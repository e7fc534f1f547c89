/**
 * Fuzzing the chat text <-> ADF conversion (issue 10). Text comes from customers; ADF
 * comes from Jira, where agents (or other apps, or the REST API) may have written any
 * document, so adfToText must take any JSON at all.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { anyJson, fc, fuzz, hostileString } from '../../scripts/testing/fuzz.js';
import { adfToText, textToAdf, type AdfNode } from './adf.js';

/** What the round trip may change: line endings, runs of blank lines, outer whitespace. */
const normalised = (t: string) =>
  t
    .replace(/\r\n?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();

/** Chat-like text: words, URLs (some with trailing punctuation), spaces and every kind of line break. */
const chatText = fc
  .array(
    fc.oneof(
      hostileString(20),
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.constantFrom(
        '\n',
        '\n\n',
        '\r\n',
        '\r',
        '\n\n\n\n',
        ' ',
        'https://x.example/a).',
        'see http://e.example/?q="x"',
        'javascript:alert(1)',
        '<img src=x onerror=alert(1)>',
      ),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

function walk(n: AdfNode, visit: (n: AdfNode) => void): void {
  visit(n);
  for (const c of n.content ?? []) walk(c, visit);
}

test('text -> ADF -> text gives the text back (line endings, blank-line runs and outer spaces aside)', () => {
  fuzz(
    'adf text round trip',
    [chatText],
    (text) => {
      assert.is(adfToText(textToAdf(text)), normalised(text));
    },
    { runs: 1500, examples: [['a\r\n\r\n\r\nb'], ['  \n\n  '], ['http://x.example.']] },
  );
});

test('textToAdf builds only valid ADF: no empty text node, links only http(s) and equal to their text', () => {
  fuzz(
    'adf structure',
    [chatText],
    (text) => {
      const doc = textToAdf(text);
      assert.is(doc.type, 'doc');
      assert.is(doc.version, 1);
      walk(doc, (n) => {
        assert.ok(['doc', 'paragraph', 'text', 'hardBreak'].includes(n.type), n.type);
        if (n.type === 'text') {
          assert.ok(typeof n.text === 'string' && n.text.length > 0, 'ADF forbids empty text nodes');
          assert.not.ok(/[\r\n]/.test(n.text!), 'line breaks are hardBreak nodes');
          for (const m of n.marks ?? []) {
            assert.is(m.type, 'link');
            assert.match(String(m.attrs?.href), /^https?:\/\//);
            assert.is(m.attrs?.href, n.text);
          }
        }
      });
    },
    { runs: 1500 },
  );
});

/** ADF-shaped junk: the right node names with wrong or missing fields, nulls among children, deep nesting. */
const adfish: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    anyJson(2),
    fc.record(
      {
        type: fc.oneof(fc.constantFrom('doc', 'paragraph', 'text', 'hardBreak', 'mention', 'emoji', 'inlineCard', 'heading', 'table', 'listItem'), anyJson(1)),
        text: fc.oneof(hostileString(10), anyJson(1)),
        content: fc.oneof(fc.array(tie('node'), { maxLength: 4 }), anyJson(1)),
        attrs: fc.oneof(fc.record({ text: anyJson(1), shortName: anyJson(1), url: anyJson(1) }, { requiredKeys: [] }), anyJson(2)),
      },
      { requiredKeys: [] },
    ),
  ),
})).node;

test('adfToText takes any JSON (Jira holds whatever was written) and returns a string without throwing', () => {
  let depth: unknown = { type: 'text', text: 'deep' };
  for (let i = 0; i < 20_000; i++) depth = { type: 'paragraph', content: [depth] };
  fuzz(
    'adf to text, any JSON',
    [adfish],
    (body) => {
      assert.type(adfToText(body), 'string');
    },
    {
      runs: 2000,
      examples: [
        // Found by this property: a null child threw "Cannot read properties of null (reading 'type')".
        [{ type: 'doc', content: [{ type: 'paragraph' }, null] }],
        // Same boundary: String() of a JSON object whose toString is not a function threw.
        [{ type: 'mention', attrs: { text: { toString: 1 } } }],
        [{ type: 'emoji', attrs: { shortName: { valueOf: null, toString: null } } }],
        // A document nested deeper than the stack: bounded instead of a RangeError.
        [depth],
      ],
    },
  );
});

test.run();
