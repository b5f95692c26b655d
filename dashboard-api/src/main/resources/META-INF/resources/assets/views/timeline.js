// The resolution timeline: the overview's card, and the group page's history, which lists the
// same entries for one group. Entries come from two typed sources, each read by its own fields:
// stored audit entries (ResolutionEntry) and the live feed's resolutions (FeedEvent).
import { card, fill, h, state } from '../dom.js';
import { api } from '../api.js';
import { live } from '../live.js';

/**
 * @typedef {object} ResolutionEntry one stored audit entry: io.faultline.impact.model.ResolutionEntry
 * @property {string} entryId
 * @property {string} attemptId
 * @property {string} groupId
 * @property {string} projectId
 * @property {?string} eventId
 * @property {string} timestamp ISO-8601 instant
 * @property {string} phase
 * @property {?string} runbookId
 * @property {?string} action null for a phase that runs none
 * @property {?string} strategy
 * @property {number} attempt
 * @property {boolean} dryRun
 * @property {string} severity
 * @property {string} message
 */

/**
 * @typedef {object} ResolutionPage GET /api/v1/resolutions: impact-service's Page<ResolutionEntry>
 * @property {ResolutionEntry[]} items
 * @property {?string} nextCursor
 */

/** @typedef {{at: number, what: string, message: string, groupId: ?string}} TimelineItem */

/** @param {ResolutionEntry} e @returns {TimelineItem} */
export function fromEntry(e) {
  return { at: Date.parse(e.timestamp), what: e.action ?? e.phase, message: e.message, groupId: e.groupId };
}

/**
 * A live resolution (dashboard-api's FeedEvent, kind "resolution": type is the phase).
 * @param {import('../live.js').FeedEvent} f @returns {TimelineItem}
 */
export function fromFeed(f) {
  return { at: f.at, what: f.action ?? f.type, message: f.message, groupId: f.groupId };
}

/** @param {TimelineItem[]} items */
export function timelineItems(items) {
  return h('ol', { class: 'timeline', id: 'timeline-list' }, items.map((r) => h('li', {},
    h('span', { class: 'muted small' }, new Date(r.at).toLocaleString()),
    ' ',
    h('strong', {}, r.what),
    ' ',
    h('span', {}, r.message),
    r.groupId ? h('a', { href: `#/group/${encodeURIComponent(r.groupId)}`, class: 'muted small' }, ` group ${r.groupId.slice(0, 12)}`) : '')));
}

/** The card, and a redraw for each live resolution: the live ones first, then the stored ones. */
export function timelineCard() {
  const section = card('timeline', 'Resolution timeline');
  /** @type {TimelineItem[]} */
  let stored = [];
  const draw = () => {
    const items = [...live.resolutions.map(fromFeed), ...stored];
    fill(section, items.length ? timelineItems(items) : state('empty', 'No resolution activity yet. Automated runbooks and manual actions show up here.'));
  };
  draw();
  api.get('/api/v1/resolutions', { limit: 20 }).then((/** @type {ResolutionPage} */ page) => {
    stored = page.items.map(fromEntry);
    draw();
  }).catch(() => { /* live items still show; an older impact-service may not offer the trail */ });
  return { section, draw };
}
