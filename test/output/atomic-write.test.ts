import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tempPathFor, writeFileAtomic, writeFilesAtomic } from '../../sim/output/atomic-write.ts';

let dir = '';
test.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), 'storsim-atomic-'));
});
test.after.each(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('tempPathFor: same directory, derived from the target and the pid', () => {
  assert.is(tempPathFor('/a/b/out.csv'), `/a/b/.out.csv.${process.pid}.tmp`);
});

test('writeFileAtomic writes and replaces, leaving no temp file', async () => {
  const target = join(dir, 'out.csv');
  await writeFileAtomic(target, 'one\n');
  assert.is(readFileSync(target, 'utf8'), 'one\n');
  await writeFileAtomic(target, new TextEncoder().encode('two\n'));
  assert.is(readFileSync(target, 'utf8'), 'two\n');
  assert.equal(readdirSync(dir), ['out.csv']);
});

test('writeFileAtomic: on failure the target is not created', async () => {
  const target = join(dir, 'out.csv');
  mkdirSync(tempPathFor(target)); // a directory where the temp file must go
  try {
    await writeFileAtomic(target, 'x');
    assert.unreachable('should have thrown');
  } catch (e) {
    assert.instance(e, Error);
    assert.not.instance(e, assert.Assertion);
  }
  assert.is(existsSync(target), false);
});

test('writeFileAtomic: on failure an existing target keeps its contents', async () => {
  const target = join(dir, 'out.csv');
  writeFileSync(target, 'old');
  mkdirSync(tempPathFor(target));
  let threw = false;
  await writeFileAtomic(target, 'new').catch(() => { threw = true; });
  assert.ok(threw);
  assert.is(readFileSync(target, 'utf8'), 'old');
});

test('writeFilesAtomic writes all files', async () => {
  const files = ['a.csv', 'b.csv', 'c.json'].map((n) => ({ path: join(dir, n), contents: `${n}\n` }));
  await writeFilesAtomic(files);
  for (const f of files) assert.is(readFileSync(f.path, 'utf8'), f.contents);
  assert.equal(readdirSync(dir).sort(), ['a.csv', 'b.csv', 'c.json']);
});

test('writeFilesAtomic: when one write fails, none is renamed and temps are removed', async () => {
  const files = ['a.csv', 'b.csv', 'c.json'].map((n) => ({ path: join(dir, n), contents: n }));
  writeFileSync(files[0]!.path, 'old a');
  mkdirSync(tempPathFor(files[2]!.path)); // the last file cannot be written
  let threw = false;
  await writeFilesAtomic(files).catch(() => { threw = true; });
  assert.ok(threw);
  assert.is(readFileSync(files[0]!.path, 'utf8'), 'old a');
  assert.is(existsSync(files[1]!.path), false);
  assert.is(existsSync(files[2]!.path), false);
  // only the pre-existing file and the obstacle remain
  assert.equal(readdirSync(dir).sort(), [`.c.json.${process.pid}.tmp`, 'a.csv']);
});

test('writeFilesAtomic: when a rename fails, new files already renamed are removed again', async () => {
  const files = ['a.csv', 'b'].map((n) => ({ path: join(dir, n), contents: n }));
  mkdirSync(join(dir, 'b')); // renaming a file over a directory fails
  writeFileSync(join(dir, 'b', 'keep'), '');
  let threw = false;
  await writeFilesAtomic(files).catch(() => { threw = true; });
  assert.ok(threw);
  assert.is(existsSync(files[0]!.path), false);
  assert.equal(readdirSync(dir), ['b']);
});

test('writeFilesAtomic rejects a path listed twice', async () => {
  const p = join(dir, 'x');
  let message = '';
  await writeFilesAtomic([{ path: p, contents: '1' }, { path: p, contents: '2' }]).catch((e: Error) => { message = e.message; });
  assert.match(message, /listed twice/);
  assert.is(existsSync(p), false);
});

test.run();
