/**
 * Asking remotes during trust on first use (core/src/vcs/git-remote.ts, core/src/tofu/):
 * a host that never answers costs at most the lookup bound, named while we wait; credentials
 * written in a url reach git through its credential machinery, never through any process's argv.
 * Real git against local servers: a TCP listener that accepts and never answers, and git's own
 * http-backend behind a small Basic-auth HTTP server (python3).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, fixtureUniverse, tempProject, testEnv } from '../support/cli.js';
import { NIX_FLAGS, nixEnv } from '../support/nix.js';

const work = mkdtempSync(join(tmpdir(), 'as2-remote-lookup-'));
after(() => rmSync(work, { recursive: true, force: true }));

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Milliseconds from the start until stderr first said "waiting for". */
  waitingAt?: number;
}

/** The CLI without blocking this process: the servers below live in it, and /proc is sampled meanwhile. */
function runAsync(args: string[], cwd: string, env: NodeJS.ProcessEnv, whileRunning?: () => void): Promise<Finished> {
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: testEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  let waitingAt: number | undefined;
  child.stderr.on('data', (d) => {
    stderr += d;
    if (waitingAt === undefined && stderr.includes('waiting for')) waitingAt = Date.now() - started;
  });
  const sampler = whileRunning ? setInterval(whileRunning, 5) : undefined;
  // Today's code waits 3 × 30 s: fail with what it said instead of the test runner's timeout.
  const limit = setTimeout(() => child.kill('SIGKILL'), 85_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(limit);
      clearInterval(sampler);
      resolve({ code, stdout, stderr, ms: Date.now() - started, waitingAt });
    }),
  );
}

test('a host that never answers: exit 75 within the lookup bound, naming the host while waiting and at the end', { timeout: 200_000 }, async () => {
  const sockets: Socket[] = [];
  const silent = createServer((socket) => void sockets.push(socket)).listen(0, '127.0.0.1');
  await new Promise((r) => silent.once('listening', r));
  const host = `127.0.0.1:${(silent.address() as { port: number }).port}`;
  try {
    const toml = `[flakes.slow]\nurl = "git+http://${host}/never.git"\n`;
    const cwd = tempProject(toml);
    const r = await runAsync(['tofu'], cwd, { ANYSNAKE2_LOOKUP_TIMEOUT_MS: '4000' });
    assert.equal(r.code, 75, r.stderr);
    // Not 3 attempts × 30 s. Loading the project before the lookups takes seconds on a loaded
    // machine, so the bound is measured from the "waiting" line (said 2 s into the lookups) to the exit.
    assert.ok(r.waitingAt !== undefined, r.stderr);
    assert.ok(r.ms - r.waitingAt < 4_000, `exit ${r.ms - r.waitingAt} ms after the waiting line (${r.ms} ms in all)`);
    assert.ok(r.ms < 80_000, `took ${r.ms} ms`);
    assert.match(r.stderr, new RegExp(`waiting for ${host.replace(/\./g, '\\.')} \\(git ls-remote http://${host.replace(/\./g, '\\.')}/never\\.git\\): no answer for \\d`));
    assert.match(r.stderr, new RegExp(`looking up floating values took longer than 4 s: no answer from ${host.replace(/\./g, '\\.')}; anysnake2\\.toml was not changed`));
    assert.match(r.stderr, /ANYSNAKE2_LOOKUP_TIMEOUT_MS=/);
    assert.equal(readFileSync(join(cwd, 'anysnake2.toml'), 'utf8'), toml);
    // A bound that is no number is a usage error, not a silent default.
    const bad = await runAsync(['tofu'], cwd, { ANYSNAKE2_LOOKUP_TIMEOUT_MS: 'soon' });
    assert.equal(bad.code, 64, bad.stderr);
    assert.match(bad.stderr, /ANYSNAKE2_LOOKUP_TIMEOUT_MS=soon is not a number of milliseconds/);
  } finally {
    for (const s of sockets) s.destroy();
    silent.close();
  }
});

/** git's smart HTTP (git http-backend as CGI) behind Basic auth, each answer a little late so git is seen running. */
const AUTH_SERVER = String.raw`
import base64, os, subprocess, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

root, user, secret = sys.argv[1], sys.argv[2], os.environ['FIXTURE_SECRET']
expected = 'Basic ' + base64.b64encode(f'{user}:{secret}'.encode()).decode()

class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass
    def answer(self):
        time.sleep(0.3)
        if self.headers.get('Authorization') != expected:
            self.send_response(401)
            self.send_header('WWW-Authenticate', 'Basic realm="fixture"')
            self.send_header('Content-Length', '0')
            self.end_headers()
            return
        path, _, query = self.path.partition('?')
        body = self.rfile.read(int(self.headers.get('Content-Length') or 0))
        env = dict(os.environ, GIT_PROJECT_ROOT=root, GIT_HTTP_EXPORT_ALL='1', PATH_INFO=path, QUERY_STRING=query,
                   REQUEST_METHOD=self.command, CONTENT_TYPE=self.headers.get('Content-Type') or '',
                   CONTENT_LENGTH=str(len(body)), GIT_PROTOCOL=self.headers.get('Git-Protocol') or '', REMOTE_USER=user)
        out = subprocess.run(['git', 'http-backend'], input=body, env=env, capture_output=True).stdout
        head, _, payload = out.partition(b'\r\n\r\n')
        status = 200
        headers = []
        for line in head.decode().split('\r\n'):
            name, _, value = line.partition(': ')
            if name.lower() == 'status':
                status = int(value.split()[0])
            elif name:
                headers.append((name, value))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header('Content-Length', str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
    do_GET = answer
    do_POST = answer

server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
`;

/** Every process's argv, as `ps` shows it to any user of the machine. */
function commandLines(): string[] {
  const lines: string[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      lines.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '));
    } catch {
      // gone meanwhile
    }
  }
  return lines;
}

const user = 'fixture-user';
const secret = 'Secr3t-Token-4f9a';
const root = join(work, 'repos');

/** A bare repository `<root>/<name>.git` with one commit of `files` on main; its commit hash. */
function bareRepo(name: string, files: Record<string, string>, prepare?: (dir: string) => void): string {
  const seed = mkdtempSync(join(work, 'seed-'));
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', seed, ...args], { encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } }).trim();
  git('init', '-q', '-b', 'main');
  for (const [file, text] of Object.entries(files)) writeFileSync(join(seed, file), text);
  git('add', '-A');
  if (prepare) {
    prepare(seed);
    git('add', '-A');
  }
  git('-c', 'user.name=fixture', '-c', 'user.email=fixture@example.org', 'commit', '-qm', 'fixture');
  execFileSync('git', ['clone', '-q', '--bare', seed, join(root, `${name}.git`)]);
  return git('rev-parse', 'HEAD');
}

/** The Basic-auth git server on a free port; the secret goes by environment (this server's own argv is sampled too). */
async function authServer(): Promise<{ port: string; stop: () => void }> {
  const server = spawn('python3', ['-c', AUTH_SERVER, root, user], { env: { ...process.env, FIXTURE_SECRET: secret }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    server.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
    server.once('exit', (code) => reject(new Error(`the auth server exited with ${code}`)));
  });
  return { port, stop: () => server.kill() };
}

test('credentials in a url reach git, never any argv, and the lookup succeeds with them', { timeout: 240_000 }, async () => {
  const head = bareRepo('private', { 'flake.nix': '{ outputs = { self }: { }; }\n' });
  const { port, stop } = await authServer();
  try {
    // Without credentials the server refuses: the test would prove nothing otherwise.
    const refused = spawn('git', ['ls-remote', `http://127.0.0.1:${port}/private.git`], {
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: 'true' },
      stdio: 'ignore',
    });
    assert.notEqual(await new Promise((r) => refused.on('close', r)), 0);

    const cwd = tempProject(`[flakes.private]\nurl = "git+http://${user}:${secret}@127.0.0.1:${port}/private.git"\n`);
    let sawGit = false;
    const leaks: string[] = [];
    const r = await runAsync(['tofu'], cwd, {}, () => {
      for (const line of commandLines()) {
        if (line.includes(`127.0.0.1:${port}/private.git`)) sawGit = true;
        if (line.includes(secret)) leaks.push(line);
      }
    });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(sawGit, 'the sampler never saw git asking the server: it proves nothing');
    assert.deepEqual(leaks, []);
    // Pinned with the credentials kept as written in the file.
    assert.match(
      readFileSync(join(cwd, 'anysnake2.toml'), 'utf8'),
      new RegExp(`url = "git\\+http://${user}:${secret}@127\\.0\\.0\\.1:${port}/private\\.git\\?ref=main&rev=${head}"`),
    );
    // Nor in what we print; the warning says where such a url ends up.
    assert.doesNotMatch(r.stderr + r.stdout, new RegExp(secret));
    assert.match(r.stderr, /flakes\.private\.url: has credentials in the url: .*world-readable \/nix\/store/);

    // [clones]: git clone gets them the same way, and the checkout's .git/config does not keep them.
    const project = tempProject(`[clones.code]\nprivate = "git+http://${user}:${secret}@127.0.0.1:${port}/private.git?ref=main&rev=${head}"\n`);
    const checkout = join(project, 'code', 'private', 'flake.nix');
    let cloned = false;
    const cloneLeaks: string[] = [];
    // Cloning comes first in a build; the build itself is not what this test is about.
    const child = spawn(process.execPath, [BIN, 'build', 'rootfs'], { cwd: project, env: testEnv(), stdio: 'ignore' });
    const closed = new Promise((done) => child.on('close', done));
    const sampler = setInterval(() => {
      for (const line of commandLines()) if (line.includes(secret)) cloneLeaks.push(line);
      if (existsSync(checkout)) {
        cloned = true;
        child.kill('SIGKILL');
      }
    }, 5);
    const limit = setTimeout(() => child.kill('SIGKILL'), 90_000);
    await closed;
    clearInterval(sampler);
    clearTimeout(limit);
    assert.ok(cloned || existsSync(checkout), 'the clone never appeared');
    assert.deepEqual(cloneLeaks, []);
    assert.doesNotMatch(readFileSync(join(project, 'code', 'private', '.git', 'config'), 'utf8'), new RegExp(secret));
  } finally {
    stop();
  }
});

test("credentials in a git+http url2 reach Nix's git through the environment, never argv; the pinned version runs", { timeout: 300_000 }, async () => {
  // A stand-in for this repository's flake (see e2e/self-version): bin/anysnake2 says it ran.
  bareRepo(
    'anysnake2',
    {
      'flake.nix': [
        '{',
        `  inputs.nixpkgs.url = "path:${fixtureUniverse()}/mini-nixpkgs";`,
        '  outputs = { self, nixpkgs }: let pkgs = nixpkgs.legacyPackages.x86_64-linux; in {',
        '    packages.x86_64-linux.default = pkgs.writeScriptBin "anysnake2" "#!${pkgs.bash}/bin/bash\\necho pinned ran: $*\\n";',
        '  };',
        '}',
        '',
      ].join('\n'),
    },
    (dir) => execFileSync('nix', [...NIX_FLAGS, 'flake', 'lock', dir], { env: nixEnv(), stdio: 'ignore' }),
  );
  const { port, stop } = await authServer();
  try {
    const cwd = tempProject(`[anysnake2]\nurl2 = "git+http://${user}:${secret}@127.0.0.1:${port}/anysnake2.git?ref=main"\n`);
    let sawNix = false;
    const leaks: string[] = [];
    const r = await runAsync(['run', '--', 'x'], cwd, {}, () => {
      for (const line of commandLines()) {
        if (line.includes(`127.0.0.1:${port}/anysnake2.git`)) sawNix = true;
        if (line.includes(secret)) leaks.push(line);
      }
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'pinned ran: run -- x\n');
    assert.ok(sawNix, 'the sampler never saw nix or git asking the server: it proves nothing');
    assert.deepEqual(leaks, []);
    assert.doesNotMatch(r.stderr, new RegExp(secret));
  } finally {
    stop();
  }
});
