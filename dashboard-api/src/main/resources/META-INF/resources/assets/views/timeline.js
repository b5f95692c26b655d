// The resolution timeline: the overview's card, and the group page's history, which lists the
// same entries for one group.
import { card, fill, h, state } from '../dom.js';
import { api, listOf } from '../api.js';
import { live } from '../live.js';

export function timelineItems(items) {
  return h('ol', { class: 'timeline', id: 'timeline-list' }, items.map((r) => h('li', {},
    h('span', { class: 'muted small' }, new Date(typeof r.at === 'number' ? r.at : (r.timestamp || r.at)).toLocaleString()),
    ' ',
    h('strong', {}, r.action || r.phase || r.type || ''),
    ' ',
    h('span', {}, r.message || r.title || ''),
    r.groupId ? h('a', { href: `#/group/${encodeURIComponent(r.groupId)}`, class: 'muted small' }, ` group ${r.groupId.slice(0, 12)}`) : '')));
}

/** The card, and a redraw for each live resolution: the live ones first, then the stored ones. */
export function timelineCard() {
  const section = card('timeline', 'Resolution timeline');
  let serverResolutions = [];
  const draw = () => {
    const items = [...live.resolutions, ...serverResolutions];
    fill(section, items.length ? timelineItems(items) : state('empty', 'No resolution activity yet. Automated runbooks and manual actions show up here.'));
  };
  draw();
  api.get('/api/v1/resolutions', { limit: 20 }).then((payload) => {
    serverResolutions = listOf(payload, 'items', 'resolutions', 'entries');
    draw();
  }).catch(() => { /* live items still show; the endpoint may not exist yet */ });
  return { section, draw };
}
