import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeHtml, html, SafeHtml, unsafeRaw } from './html.ts';

test('every kind of value is escaped, nested templates and unsafeRaw are kept as they are', () => {
  const name = `<script>alert("x")</script> & 'y'`;
  const escaped = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;';
  assert.equal(escapeHtml(name), escaped);
  assert.equal(escapeHtml('plain'), 'plain');
  assert.equal(html`<p>${name}</p>`.value, `<p>${escaped}</p>`);
  assert.equal(
    html`<p title="${name}">${html`<b>${name}</b>`}</p>`.value,
    `<p title="${escaped}"><b>${escaped}</b></p>`,
  );
  assert.equal(html`${unsafeRaw('<i>kept</i>')}`.value, '<i>kept</i>');
  assert.equal(html`a${0}b${12.5}c${-3}`.value, 'a0b12.5c-3');
  assert.equal(html`[${null}|${undefined}|${false}|${true}]`.value, '[|||true]');
  assert.equal(html`${''}`.value, '');
  // Lists, nested lists and lists of templates: each item as if it stood alone.
  assert.equal(
    html`<ul>${['<a>', html`<li>${'&'}</li>`, [1, null, ['"', false]]]}</ul>`.value,
    '<ul>&lt;a&gt;<li>&amp;</li>1&quot;</ul>',
  );
  assert.equal(html`${[]}`.value, '');
  assert.ok(html`x` instanceof SafeHtml);
  assert.equal(String(html`<p>${'&'}</p>`), '<p>&amp;</p>');
});

test('escaping is the same for a value met many times (the expression keeps no state between calls)', () => {
  for (let i = 0; i < 3; i++) {
    assert.equal(html`${'a&b'}${'c<d'}`.value, 'a&amp;bc&lt;d');
    assert.equal(escapeHtml('"q"'), '&quot;q&quot;');
  }
});
