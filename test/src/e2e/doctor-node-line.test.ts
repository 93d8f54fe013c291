/** `anysnake2 doctor` reports the Node.js line it runs on; on this machine's Node 20 after 2026-04-30 it warns. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, tempProject } from '../support/cli.js';

test('doctor names the Node.js it runs on and warns when its line is past its end of life', () => {
  const r = runCli(['doctor', '--json', '--offline'], { cwd: tempProject() });
  const findings = JSON.parse(r.stdout) as { id: string; status: string; summary: string; fix?: string }[];
  const node = findings.find((f) => f.id === 'node.line');
  assert.ok(node, `no node.line finding in ${r.stdout}`);
  assert.ok(node.summary.includes(process.version), node.summary);
  const line = Number(process.versions.node.split('.')[0]);
  // Written out here, not read from the doctor's table: Node 20's end of life was 2026-04-30.
  if (line === 20 && Date.now() > Date.parse('2026-05-01T00:00:00Z')) {
    assert.equal(node.status, 'warn');
    assert.match(node.summary, /end of life on 2026-04-30/);
    assert.match(node.fix ?? '', /24 or 22/);
  }
  if (line === 24) assert.equal(node.status, 'ok', 'Node 24 is supported until 2028-04-30');
  if (line === 22) assert.equal(node.status, 'ok', 'Node 22 is supported until 2027-04-30');
});
