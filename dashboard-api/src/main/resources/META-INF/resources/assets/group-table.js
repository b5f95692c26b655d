// The table of error groups the overview and the groups list share, and what either shows before
// the first error arrived.
import { h, ago, state } from './dom.js';
import { sparkline } from './charts.js';
import { groupCounts } from './live.js';
import { usersLabel } from './search.js';

/**
 * @typedef {object} GroupSummary one group as the impact-service lists it:
 *   io.faultline.impact.model.Overview.GroupSummary
 * @property {string} groupId
 * @property {string} projectId
 * @property {string} title
 * @property {string} severity
 * @property {string} category
 * @property {string} businessImpact
 * @property {?string} workflow null: the events named none
 * @property {string} status
 * @property {number} count
 * @property {string} firstSeen ISO-8601 instant
 * @property {string} lastSeen ISO-8601 instant
 * @property {number} usersAffected
 * @property {number} priority
 */

/**
 * @param {GroupSummary} group
 * @param {?(group: GroupSummary) => HTMLElement} pick the row's selection control, if the list selects
 */
function groupRow(group, pick) {
  const counts = groupCounts(group.groupId);
  return h('tr', {},
    pick ? h('td', {}, pick(group)) : '',
    h('td', {}, h('span', { class: `sev sev-${group.severity}` }, group.severity)),
    h('td', {}, h('a', { href: `#/group/${encodeURIComponent(group.groupId)}`, class: 'group-link' }, group.title),
      h('div', { class: 'muted small' }, [group.category, group.workflow, group.businessImpact].filter(Boolean).join(' · '))),
    h('td', { class: 'num' }, group.count),
    h('td', { class: 'num' }, usersLabel(group)),
    h('td', {}, sparkline(counts.slice(-30), { label: 'errors in the last 5 minutes (live)' })),
    h('td', { class: 'muted' }, ago(group.lastSeen)),
    h('td', {}, group.status));
}

/**
 * @param {GroupSummary[]} groups
 * @param {?{ all: HTMLElement, pick: (group: GroupSummary) => HTMLElement }} selection a "select all"
 *   control for the header and a per-row control, for lists an operator acts on in bulk
 */
export function groupTable(groups, selection = null) {
  return h('table', { class: 'groups' },
    h('thead', {}, h('tr', {}, selection ? h('th', {}, selection.all) : '', h('th', {}, 'Sev'), h('th', {}, 'Group'), h('th', {}, 'Events'), h('th', {}, 'Users'), h('th', {}, 'Live'), h('th', {}, 'Last seen'), h('th', {}, 'Status'))),
    h('tbody', {}, groups.map((g) => groupRow(g, selection && selection.pick))));
}

/** How to send a first error to this project, for a dashboard with no group yet. */
export function firstErrorHint(me) {
  const url = `${me.ingestUrl}/api/v1/projects/${me.projectId}/events`;
  const curl = `curl -X POST "${url}" \\\n  -H "Authorization: Bearer $PROJECT_KEY" -H 'Content-Type: application/json' \\\n  -d '{"level":"error","message":"my first error","exception":{"values":[{"type":"IllegalStateException","value":"boom"}]}}'`;
  return state('empty', 'No errors yet. Send a first one (or point a Sentry SDK at this project, DSN in stack.env):',
    h('pre', { class: 'code', id: 'first-error' }, curl));
}
