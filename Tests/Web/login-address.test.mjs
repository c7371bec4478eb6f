// The login page's `next` parameter (Public/js/core/login-address.js): where a 401 sends the page, and which `next`
// values the login page follows after signing in (only paths on this server).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLoginPath, loginAddress, nextParameter, safeNextPath } from '../../Public/js/core/login-address.js';

test('loginAddress keeps the path and query, encoded in next', () => {
  assert.equal(loginAddress('/', ''), '/login?next=%2F');
  assert.equal(loginAddress('/runs/ab12', '?view=lens&point=mid'),
    '/login?next=%2Fruns%2Fab12%3Fview%3Dlens%26point%3Dmid');
  assert.equal(loginAddress('/', '?page=compare'), '/login?next=%2F%3Fpage%3Dcompare');
  assert.equal(loginAddress('', undefined), '/login?next=%2F');
});

test('the next a login address carries decodes to the same path and is followed', () => {
  for (const [path, query] of [['/runs/ab12', '?view=lens&point=mid'], ['/', '?page=reports&report=r1'], ['/', '']]) {
    const address = loginAddress(path, query);
    const next = nextParameter(address.slice(address.indexOf('?')));
    assert.equal(next, path + query);
    assert.equal(safeNextPath(next), path + query);
  }
});

test('safeNextPath follows same-origin paths', () => {
  assert.equal(safeNextPath('/'), '/');
  assert.equal(safeNextPath('/runs/ab12?view=attention&layer=1'), '/runs/ab12?view=attention&layer=1');
  assert.equal(safeNextPath('/?page=compare#top'), '/?page=compare#top');
  assert.equal(safeNextPath('/a//b'), '/a//b');
});

test('safeNextPath sends anything else to /', () => {
  const foreign = [
    null, undefined, '', 42, 'runs/ab12', 'https://evil.example/', 'http:/evil.example', 'javascript:alert(1)',
    '//evil.example', '//evil.example/path', '/\\evil.example', '/\t/evil.example', '/\n/evil.example',
    '/x\\y', ' /runs', 'data:text/html,hi', '\\\\evil.example',
  ];
  for (const value of foreign) assert.equal(safeNextPath(value), '/', `next = ${JSON.stringify(value)}`);
});

test('safeNextPath does not go on to the login page itself', () => {
  for (const value of ['/login', '/login?next=%2F', '/login.html', '/login#x']) assert.equal(safeNextPath(value), '/');
  assert.equal(safeNextPath('/loginx'), '/loginx');
});

test('isLoginPath and nextParameter', () => {
  assert.equal(isLoginPath('/login'), true);
  assert.equal(isLoginPath('/login.html'), true);
  assert.equal(isLoginPath('/logins'), false);
  assert.equal(isLoginPath('/'), false);
  assert.equal(nextParameter('?next=%2Fruns%2Fx'), '/runs/x');
  assert.equal(nextParameter(''), null);
  assert.equal(nextParameter('?other=1'), null);
});
