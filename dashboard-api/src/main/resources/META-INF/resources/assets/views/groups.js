// The groups list (#/groups): searched, filtered and sorted by the impact-service, one page at a time.
import { card, fill, h, state } from '../dom.js';
import { api, listOf, loadInto } from '../api.js';
import { searchFields } from '../search.js';
import { groupTable, firstErrorHint } from '../group-table.js';

export async function renderGroups(view, me, params) {
  const filters = { query: params.get('query') || '', sort: params.get('sort') || '', status: params.get('status') || '', severity: params.get('severity') || '', cursor: params.get('cursor') || '', limit: 25 };
  const form = h('form', { class: 'filters', onsubmit: (e) => {
    e.preventDefault();
    const data = new FormData(e.target);
    location.hash = `#/groups?${new URLSearchParams([...data].filter(([, v]) => v))}`;
  } },
  searchFields(filters),
  h('select', { name: 'severity' }, ['', 'critical', 'high', 'medium', 'low', 'info'].map((s) => h('option', { value: s, selected: s === filters.severity }, s || 'any severity'))),
  h('select', { name: 'status' }, ['', 'unresolved', 'resolved', 'ignored', 'regressed', 'merged'].map((s) => h('option', { value: s, selected: s === filters.status }, s || 'any status'))),
  h('button', { type: 'submit' }, 'Filter'));
  const list = card('group-list', 'Error groups');
  view.replaceChildren(form, list);
  await loadInto(list, () => api.get('/api/v1/groups', filters), (page) => {
    const groups = listOf(page, 'items', 'groups');
    if (!groups.length) { fill(list, filters.cursor || filters.severity || filters.status || filters.query ? state('empty', 'No groups match these filters.') : firstErrorHint(me)); return; }
    const next = page.nextCursor || page.next_cursor || page.next;
    const query = (cursor) => `#/groups?${new URLSearchParams(Object.entries({ ...filters, limit: '', cursor }).filter(([, v]) => v))}`;
    fill(list, groupTable(groups), h('nav', { class: 'pager' },
      filters.cursor ? h('a', { href: query(''), id: 'first-page' }, '← First page') : '',
      next ? h('a', { href: query(next), id: 'next-page' }, 'Next page →') : h('span', { class: 'muted' }, 'Last page')));
  });
}
