// The overview's open incidents card.
import { card, fill, h, ago, state } from '../dom.js';
import { api, loadInto } from '../api.js';

/**
 * @typedef {object} Incident io.faultline.impact.model.Incident
 * @property {string} incidentId
 * @property {string} projectId
 * @property {string} scope group, workflow or project
 * @property {?string} groupId set when the scope is a group
 * @property {?string} workflow
 * @property {string} trigger what opened it: a severity, an impact or a signal kind
 * @property {string} severity
 * @property {string} title
 * @property {string} status open or closed
 * @property {string} openedAt ISO-8601 instant
 * @property {string} lastActivityAt
 * @property {?string} closedAt
 * @property {?string} closeReason verified or quiet
 * @property {number} eventCount
 * @property {number} signalCount
 */

/**
 * @typedef {object} IncidentPage GET /api/v1/incidents: impact-service's Page<Incident>
 * @property {Incident[]} items
 * @property {?string} nextCursor
 */

export function incidentsCard() {
  const section = card('incidents', 'Open incidents');
  loadInto(section, () => api.get('/api/v1/incidents', { status: 'open', limit: 10 }), (/** @type {IncidentPage} */ page) => {
    if (!page.items.length) { fill(section, state('empty', 'No open incident. One opens on a critical or revenue-blocking error, a spike, a new issue, a regression or an SLO burn.')); return; }
    fill(section, h('ol', { class: 'timeline', id: 'incident-list' }, page.items.map((i) => h('li', {},
      h('span', { class: `sev sev-${i.severity}` }, i.trigger), ' ',
      i.groupId ? h('a', { href: `#/group/${encodeURIComponent(i.groupId)}` }, i.title) : h('span', {}, i.title),
      h('span', { class: 'muted small' }, ` · opened ${ago(i.openedAt)} · ${i.eventCount} events, ${i.signalCount} signals`)))));
  });
  return section;
}
