/** Nix's internal-json log: progress from the counters, failures as derivation + last log lines. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NixLogParser, derivationName, formatProgress } from '../../../core/dist/nix-cli/nix-log.js';

const line = (event: object) => `@nix ${JSON.stringify(event)}`;
const DRV = '/nix/store/0123456789abcdfghijklmnpqrsvwxyz-broken-1.0.drv';

test('progress comes from the builds counter and the running builds', () => {
  const p = new NixLogParser();
  p.feed(line({ action: 'start', id: 1, level: 0, type: 104, text: '', fields: [] }));
  assert.equal(p.feed(line({ action: 'start', id: 2, level: 3, type: 105, text: `building '${DRV}'`, fields: [DRV, '', 1, 1] })), true);
  assert.equal(p.feed(line({ action: 'result', id: 1, type: 105, fields: [2, 5, 1, 0] })), true);
  assert.deepEqual(p.progress.builds, { done: 2, expected: 5, running: 1, failed: 0 });
  assert.equal(formatProgress(p.progress), 'built 2/5 · 1 running · broken-1.0');
  assert.equal(p.feed('some plain line'), false);
});

test("a failed build is summarised as the error plus that build's last log lines", () => {
  const p = new NixLogParser();
  p.feed(line({ action: 'start', id: 7, level: 3, type: 105, text: `building '${DRV}'`, fields: [DRV, '', 1, 1] }));
  for (let i = 1; i <= 40; i++) p.feed(line({ action: 'result', id: 7, type: 101, fields: [`\u001b[1mlog line ${i}\u001b[0m`] }));
  p.feed(line({ action: 'msg', level: 0, msg: `\u001b[31;1merror:\u001b[0m builder for '${DRV}' failed with exit code 3;\n       last 10 log lines:\n       > log line 40` }));
  const summary = p.failureSummary();
  assert.match(summary, /^error: builder for '.*-broken-1\.0\.drv' failed with exit code 3;$/m);
  assert.match(summary, /last 25 log lines of broken-1\.0:/);
  assert.match(summary, /  > log line 40$/);
  assert.doesNotMatch(summary, /log line 15\n/);
  assert.doesNotMatch(summary, /\u001b/);
  assert.equal(derivationName(DRV), 'broken-1.0');
  // The store path, for the `nix log <drv>` the error suggests.
  assert.deepEqual([...p.failedDerivations], [['broken-1.0', DRV]]);
});

test('the total of builds only grows, so a status line does not jump back; build log lines reach the listener', () => {
  const seen: string[] = [];
  const p = new NixLogParser((derivation, text) => seen.push(`${derivation}> ${text}`));
  p.feed(line({ action: 'start', id: 1, level: 0, type: 104, text: '', fields: [] }));
  p.feed(line({ action: 'result', id: 1, type: 105, fields: [0, 7, 0, 0] }));
  p.feed(line({ action: 'result', id: 1, type: 105, fields: [1, 4, 1, 0] }));
  assert.deepEqual(p.progress.builds, { done: 1, expected: 7, running: 1, failed: 0 });
  p.feed(line({ action: 'start', id: 2, level: 3, type: 105, text: `building '${DRV}'`, fields: [DRV, '', 1, 1] }));
  p.feed(line({ action: 'result', id: 2, type: 101, fields: ['\u001b[1mcompiling\u001b[0m'] }));
  assert.deepEqual(seen, ['broken-1.0> compiling']);
});

test('elapsed time reads 7s, 2m05s, 1h02m', async () => {
  const { formatElapsed } = await import('../../../core/dist/nix-cli/nix.js');
  assert.deepEqual([formatElapsed(7_400), formatElapsed(125_000), formatElapsed(3_725_000)], ['7s', '2m05s', '1h02m']);
});
