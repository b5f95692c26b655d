// The overview's top groups card: totals and the most recently seen groups.
import { card, fill, h, state } from '../dom.js';
import { api, loadInto } from '../api.js';
import { live } from '../live.js';
import { groupTable, firstErrorHint } from '../group-table.js';

/**
 * @typedef {object} Overview GET /api/v1/overview: io.faultline.impact.model.Overview
 * @property {number} totalEvents
 * @property {number} groupCount
 * @property {import('../group-table.js').GroupSummary[]} groups most recently seen first
 */

export function topGroupsCard(me) {
  const section = card('top-groups', 'Top groups');
  loadInto(section, () => api.get('/api/v1/overview', { limit: 10 }), (/** @type {Overview} */ overview) => {
    if (!overview.groups.length && !live.feed.length) { fill(section, firstErrorHint(me)); return; }
    fill(section,
      h('p', { class: 'muted small' }, `${overview.totalEvents} events in ${overview.groupCount} groups`),
      groupTable(overview.groups),
      h('a', { href: '#/groups' }, 'All groups →'));
  });
  return section;
}

/** A live error while the card shows how to send a first one: say that groups are on their way. */
export function noteArrivingErrors(section) {
  if (section.querySelector('#first-error')) {
    fill(section, state('empty', 'Errors are arriving (see the live feed); their groups are listed here once the impact-service has counted them. Reload in a moment.'));
  }
}
