/** `anysnake2 doctor` warns about a Node.js past the end of its line's life, with the date. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeLineFinding } from '../../../core/dist/doctor/node-line.js';

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

test('a line past its end of life is a warning naming the date; before and on the day it is fine', () => {
  const after = nodeLineFinding('v20.20.2', day('2026-05-01'));
  assert.equal(after.status, 'warn');
  assert.match(after.summary, /Node\.js v20\.20\.2: line 20 reached its end of life on 2026-04-30/);
  assert.match(after.fix ?? '', /24 or 22/);
  assert.equal(nodeLineFinding('v20.20.2', day('2026-04-30')).status, 'ok');
  assert.match(nodeLineFinding('v20.19.0', day('2025-12-01')).summary, /supported until 2026-04-30/);
});

test('the LTS lines 22 and 24 have their dates; newer lines are fine, older ones are not', () => {
  assert.equal(nodeLineFinding('v22.12.0', day('2027-04-30')).status, 'ok');
  assert.match(nodeLineFinding('v22.12.0', day('2027-05-01')).summary, /end of life on 2027-04-30/);
  assert.equal(nodeLineFinding('v24.1.0', day('2028-04-30')).status, 'ok');
  assert.equal(nodeLineFinding('v24.1.0', day('2028-05-01')).status, 'warn');
  assert.equal(nodeLineFinding('v23.11.0', day('2026-01-01')).status, 'warn');
  assert.equal(nodeLineFinding('v40.0.0', day('2026-01-01')).status, 'ok');
  assert.equal(nodeLineFinding('v16.20.0', day('2026-01-01')).status, 'warn');
});
