import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { didYouMean, editDistance, suggest } from '../../sim/scenario/did-you-mean.ts';

test('editDistance basics', () => {
  assert.is(editDistance('', ''), 0);
  assert.is(editDistance('abc', ''), 3);
  assert.is(editDistance('', 'ab'), 2);
  assert.is(editDistance('kitten', 'sitting'), 3);
  assert.is(editDistance('servers', 'sevrers'), 1); // transposition
  assert.is(editDistance('ab', 'ba'), 1);
  assert.is(editDistance('ca', 'abc'), 3); // optimal string alignment, not unrestricted
});

test('editDistance is symmetric and bounded by the longer length', () => {
  fc.assert(fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
    const d = editDistance(a, b);
    return d === editDistance(b, a) && d <= Math.max(a.length, b.length) && d >= Math.abs(a.length - b.length);
  }));
});

test('suggest finds a close candidate', () => {
  assert.is(suggest('sevrers', ['clients', 'servers', 'disks']), 'servers');
  assert.is(suggest('Servers', ['servers']), 'servers');
  assert.is(suggest('servers', ['servers']), 'servers');
  assert.is(suggest('seed', ['seeds', 'speed']), 'seeds'); // tie at distance 1: first candidate wins
  assert.is(suggest('seed', ['speed', 'seeds']), 'speed');
});

test('suggest returns undefined when nothing is close', () => {
  assert.is(suggest('xyz', ['servers', 'disks']), undefined);
  assert.is(suggest('ab', ['cd']), undefined);
  assert.is(suggest('anything', []), undefined);
  // 6 letters: limit is 2
  assert.is(suggest('abcdef', ['abcxyz']), undefined);
  assert.is(suggest('abcdef', ['abcdxy']), 'abcdxy');
});

test('didYouMean formats the hint', () => {
  assert.is(didYouMean('sevrers', ['servers']), '; did you mean "servers"?');
  assert.is(didYouMean('zzz', ['servers']), '');
});

test.run();
