// The SRE dashboard's shell: who is signed in, the live feed, and a router that renders one view
// module per page (views/*.js) into <main>.
import { api, setCsrfToken } from './api.js';
import { h, state } from './dom.js';
import { connectStream, listen } from './live.js';
import { renderOverview } from './views/overview.js';
import { renderGroups } from './views/groups.js';
import { renderGroup } from './views/group.js';
import { renderAlerts } from './views/alerts.js';

const view = document.getElementById('view');
let me = null;

function route() {
  const [path, query] = (location.hash.slice(1) || '/').split('?');
  const params = new URLSearchParams(query || '');
  // the previous view's cards are gone: it hears no more live items
  listen(() => {});
  if (path.startsWith('/group/')) renderGroup(view, me, decodeURIComponent(path.slice('/group/'.length)));
  else if (path === '/groups') renderGroups(view, me, params);
  else if (path === '/alerts') renderAlerts(view, me.role !== 'viewer');
  else renderOverview(view, me);
}

async function start() {
  try {
    me = await api.get('/api/v1/me');
  } catch (e) {
    view.replaceChildren(state('error', e.message, h('a', { href: '/login.html' }, 'Sign in')));
    return;
  }
  setCsrfToken(me.csrfToken);
  document.getElementById('who').textContent = `${me.user} (${me.role})`;
  // the logout form is a state change like any other: it carries the CSRF token
  document.getElementById('logout').addEventListener('submit', async (e) => {
    e.preventDefault();
    await fetch('/auth/logout', { method: 'POST', headers: { 'X-Faultline-CSRF': me.csrfToken }, credentials: 'same-origin' });
    location.href = '/login.html';
  });
  connectStream();
  window.addEventListener('hashchange', route);
  route();
}

start();
