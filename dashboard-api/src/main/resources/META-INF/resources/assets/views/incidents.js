// The overview's open incidents card.
import { card, fill, h, ago, state } from '../dom.js';
import { api, listOf, loadInto } from '../api.js';

export function incidentsCard() {
  const section = card('incidents', 'Open incidents');
  loadInto(section, () => api.get('/api/v1/incidents', { status: 'open', limit: 10 }), (payload) => {
    const rows = listOf(payload, 'items');
    if (!rows.length) { fill(section, state('empty', 'No open incident. One opens on a critical or revenue-blocking error, a spike, a new issue, a regression or an SLO burn.')); return; }
    fill(section, h('ol', { class: 'timeline', id: 'incident-list' }, rows.map((i) => h('li', {},
      h('span', { class: `sev sev-${i.severity || 'unknown'}` }, i.trigger || '?'), ' ',
      i.groupId ? h('a', { href: `#/group/${encodeURIComponent(i.groupId)}` }, i.title || i.groupId) : h('span', {}, i.title || [i.scope, i.workflow || i.projectId || i.incidentId].filter(Boolean).join(' ')),
      h('span', { class: 'muted small' }, ` · opened ${ago(i.openedAt)} · ${i.eventCount ?? 0} events, ${i.signalCount ?? 0} signals`)))));
  });
  return section;
}
