import * as assert from 'node:assert/strict';
import { parseToml, splitDottedKey, stringifyToml, TomlDateTime } from '../../../server/agents/toml';

describe('agents/toml', () => {
  it('parses every value kind', () => {
    const t = parseToml(`
# comment
a = "x\\ty\\u00e9" # trailing
b = 'lit\\eral'
c = """
multi
line"""
d = '''raw
text'''
e = 1_000
f = -3.5e2
g = true
h = 1979-05-27T07:32:00Z
i = [1, 2,
  3, ] # multi-line array
j = { x = 1, "y.z" = "w" }
k.l.m = "dotted"
hex = 0xff

[t1]
v = 1
[t1.sub]
w = 2

[[arr]]
n = 1
[[arr]]
n = 2
[arr.inner]
q = true
`);
    assert.equal(t.a, 'x\tyé');
    assert.equal(t.b, 'lit\\eral');
    assert.equal(t.c, 'multi\nline');
    assert.equal(t.d, 'raw\ntext');
    assert.equal(t.e, 1000);
    assert.equal(t.f, -350);
    assert.equal(t.g, true);
    assert.ok(t.h instanceof TomlDateTime);
    assert.deepEqual(t.i, [1, 2, 3]);
    assert.deepEqual(t.j, { x: 1, 'y.z': 'w' });
    assert.deepEqual(t.k, { l: { m: 'dotted' } });
    assert.equal(t.hex, 255);
    assert.deepEqual(t.t1, { v: 1, sub: { w: 2 } });
    assert.deepEqual(t.arr, [{ n: 1 }, { n: 2, inner: { q: true } }]);
  });

  it('round-trips through stringify', () => {
    const src = parseToml(`x = "a\\"b\\nc"\n[p."/a b"]\ntrust_level = "trusted"\n[[s]]\nn = 1\n[s.t]\nu = 2\n[[s]]\nn = 3\n[e]\n`);
    const again = parseToml(stringifyToml(src));
    assert.deepEqual(again, src);
  });

  it('rejects duplicates and junk with a line number', () => {
    assert.throws(() => parseToml('a = 1\na = 2\n'), /line 2: key 'a' defined twice/);
    assert.throws(() => parseToml('[x]\n[x]\n'), /defined twice/);
    assert.throws(() => parseToml('a = \n'), /expected a value/);
  });

  it('splits dotted keys', () => {
    assert.deepEqual(splitDottedKey('a."b.c".d'), ['a', 'b.c', 'd']);
    assert.deepEqual(splitDottedKey('model'), ['model']);
  });
});
