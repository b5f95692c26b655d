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

/**
 * @typedef {object} BulkAnswer POST /api/v1/groups/bulk-actions:
 *   io.faultline.dashboard.rest.BulkGroupActionResource.BulkAnswer
 * @property {number} accepted
 * @property {number} refused
 * @property {{ id: string, status: number, problem: ?{ detail: string } }[]} results
 */

const BULK_ACTIONS = [['resolve', 'Resolve'], ['ignore', 'Ignore'], ['reopen', 'Reopen']];

/**
 * Checkboxes on a page of groups and the operator's bulk actions on the ones ticked. After the
 * actions are recorded the list is drawn again (the classifier applies them to the groups' state).
 * @param {import('../group-table.js').GroupSummary[]} items
 * @param {() => void} reload
 * @param {HTMLElement} result where the outcome is said; it outlives the list drawn again
 */
function bulkSelection(items, reload, result) {
  const chosen = new Map();
  const count = h('span', { id: 'bulk-count', class: 'muted small' }, 'none selected');
  const buttons = BULK_ACTIONS.map(([action, text]) => h('button', { id: `bulk-${action}`, type: 'button', disabled: true, onclick: () => act(action) }, `${text} selected`));
  const boxes = [];
  const changed = () => {
    count.textContent = chosen.size ? `${chosen.size} selected` : 'none selected';
    for (const b of buttons) b.disabled = !chosen.size;
    all.checked = chosen.size === items.length;
  };
  const pick = (group) => {
    const box = h('input', { type: 'checkbox', class: 'pick', onchange: (e) => {
      if (e.target.checked) chosen.set(group.groupId, group); else chosen.delete(group.groupId);
      changed();
    } });
    boxes.push([box, group]);
    return field(`select ${group.title}`, box, { hidden: true });
  };
  const all = h('input', { type: 'checkbox', id: 'bulk-all', onchange: (e) => {
    for (const [box, group] of boxes) {
      box.checked = e.target.checked;
      if (box.checked) chosen.set(group.groupId, group); else chosen.delete(group.groupId);
    }
    changed();
  } });
  async function act(action) {
    const groups = [...chosen.values()].map((g) => ({ id: g.groupId, projectId: g.projectId }));
    result.textContent = `${action}…`;
    result.className = 'muted';
    try {
      /** @type {BulkAnswer} */
      const answer = await api.post('/api/v1/groups/bulk-actions', { action, groups });
      const refusals = answer.results.filter((r) => r.status !== 202).map((r) => `${r.id}: ${r.problem ? r.problem.detail : `HTTP ${r.status}`}`);
      result.textContent = `${action}: ${answer.accepted} of ${groups.length} groups recorded${refusals.length ? `; refused ${refusals.join('; ')}` : ''}.`;
      result.className = answer.refused ? 'alert' : 'ok';
      reload();
    } catch (e) {
      result.textContent = e.message;
      result.className = 'alert';
    }
  }
  return {
    selection: { all: field('select every group on this page', all, { hidden: true }), pick },
    toolbar: h('div', { class: 'actions', id: 'bulk-actions' }, count, ...buttons),
  };
}

export async function renderGroups(view, me, params) {
  const filters = { query: params.get('query') || '', sort: params.get('sort') || '', status: params.get('status') || '', severity: params.get('severity') || '', cursor: params.get('cursor') || '', limit: 25 };
  const form = h('form', { class: 'filters', onsubmit: (e) => {
    e.preventDefault();
    const data = new FormData(e.target);
    location.hash = `#/groups?${new URLSearchParams([...data].filter(([, v]) => v))}`;
  } });
  const list = card('group-list', 'Error groups');
  const canAct = me.role === 'operator' || me.role === 'admin';
  const bulkResult = h('p', { id: 'bulk-result', class: 'muted', role: 'status' });
  view.replaceChildren(form, ...(canAct ? [bulkResult] : []), list);
  const draw = () => loadInto(list, () => api.get('/api/v1/groups', filters), (/** @type {GroupPage} */ page) => {
    if (!page.items.length) { fill(list, filters.cursor || filters.severity || filters.status || filters.query ? state('empty', 'No groups match these filters.') : firstErrorHint(me)); return; }
    const query = (cursor) => `#/groups?${new URLSearchParams(Object.entries({ ...filters, limit: '', cursor }).filter(([, v]) => v))}`;
    const bulk = canAct ? bulkSelection(page.items, draw, bulkResult) : null;
    fill(list, ...(bulk ? [bulk.toolbar] : []), groupTable(page.items, bulk && bulk.selection), h('nav', { class: 'pager' },
      filters.cursor ? h('a', { href: query(''), id: 'first-page' }, '← First page') : '',
      page.nextCursor ? h('a', { href: query(page.nextCursor), id: 'next-page' }, 'Next page →') : h('span', { class: 'muted' }, 'Last page')));
  });
  const loaded = draw();
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
