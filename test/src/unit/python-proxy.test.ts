/** Which proxy the Python plugin's HTTP requests (PyPI JSON API, sdists) use: curl's rules for the proxy variables. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { proxyFor } from '@anysnake2/plugin-python/dist/http.js';

test('https_proxy/http_proxy by scheme, either case; no_proxy by host suffix, * and ports', () => {
  const env = { https_proxy: 'http://proxy:3128', HTTP_PROXY: 'http://plain:80', no_proxy: 'internal.example, .corp:8443,localhost' };
  assert.equal(proxyFor('https://pypi.org/pypi/x/json', env), 'http://proxy:3128');
  assert.equal(proxyFor('http://pypi.org/simple/', env), 'http://plain:80');
  assert.equal(proxyFor('https://internal.example/x', env), undefined);
  assert.equal(proxyFor('https://mirror.internal.example/x', env), undefined);
  assert.equal(proxyFor('https://pkgs.corp/x', env), undefined);
  assert.equal(proxyFor('http://localhost:8080/x', env), undefined);
  assert.equal(proxyFor('https://notinternal.example/x', env), 'http://proxy:3128');
  assert.equal(proxyFor('https://pypi.org/', { ALL_PROXY: 'http://all:1' }), 'http://all:1');
  assert.equal(proxyFor('https://pypi.org/', { https_proxy: 'http://p:1', NO_PROXY: '*' }), undefined);
  assert.equal(proxyFor('https://pypi.org/', {}), undefined);
});
