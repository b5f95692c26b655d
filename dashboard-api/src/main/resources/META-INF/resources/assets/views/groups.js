// The groups list (#/groups): searched, filtered and sorted by the impact-service, one page at a time.
import { card, field, fill, h, state } from '../dom.js';
import { api, loadInto } from '../api.js';
import { searchFields } from '../search.js';
import { groupTable, firstErrorHint } from '../group-table.js';
import { vocabulary } from '../vocabulary.js';

/**
 * @typedef {object} GroupPage GET /api/v1/groups: impact-service's Page<GroupSummary>
 *   (io.faultline.impact.model.Page of Overview.GroupSummary)
 * @property {import('../group-table.js').GroupSummary[]} items
 * @property {?string} nextCursor null on the last page
 */

/** A select of the vocabulary's values, "any" first; the value the list is filtered by selected. */
function choice(name, label, values, current) {
  return field(label, h('select', { name, id: `filter-${name}` },
    ['', ...values].map((v) => h('option', { value: v, selected: v === current }, v || `any ${label}`))), { hidden: true });
}

export async function renderGroups(view, me, params) {
  const filters = { query: params.get('query') || '', sort: params.get('sort') || '', status: params.get('status') || '', severity: params.get('severity') || '', cursor: params.get('cursor') || '', limit: 25 };
  const form = h('form', { class: 'filters', onsubmit: (e) => {
    e.preventDefault();
    const data = new FormData(e.target);
    location.hash = `#/groups?${new URLSearchParams([...data].filter(([, v]) => v))}`;
  } });
  const list = card('group-list', 'Error groups');
  view.replaceChildren(form, list);
  const loaded = loadInto(list, () => api.get('/api/v1/groups', filters), (/** @type {GroupPage} */ page) => {
    if (!page.items.length) { fill(list, filters.cursor || filters.severity || filters.status || filters.query ? state('empty', 'No groups match these filters.') : firstErrorHint(me)); return; }
    const query = (cursor) => `#/groups?${new URLSearchParams(Object.entries({ ...filters, limit: '', cursor }).filter(([, v]) => v))}`;
    fill(list, groupTable(page.items), h('nav', { class: 'pager' },
      filters.cursor ? h('a', { href: query(''), id: 'first-page' }, '← First page') : '',
      page.nextCursor ? h('a', { href: query(page.nextCursor), id: 'next-page' }, 'Next page →') : h('span', { class: 'muted' }, 'Last page')));
  });
  let labels;
  try {
    labels = await vocabulary();
  } catch (e) {
    labels = null;
    form.append(state('error', `No severity or status filter: ${e.message}`));
  }
  form.prepend(...searchFields(filters),
    ...(labels ? [choice('severity', 'severity', labels.severities, filters.severity),
      choice('status', 'status', labels.groupStatuses, filters.status)] : []),
    h('button', { type: 'submit' }, 'Filter'));
  await loaded;
}
