// The groups list's search box and sort, and the group page's tag distributions and users
// affected. Tag values and keys are whatever an SDK sent: they go into the page as text nodes
// only (h()), and a bar's width is a number the script computes, never a value from the event.
import { api } from './api.js';
import { count, field, h, state } from './dom.js';

/** The sorts the impact-service offers for the groups list, as they read in the select. */
export const SORTS = [
  ['-lastSeen', 'last seen'], ['-firstSeen', 'first seen'], ['-count', 'events'],
  ['-users', 'users affected'], ['-priority', 'priority']];

const HINT = 'is:unresolved level:error release:1.4.2 environment:production tag:key=value '
  + 'firstSeen:-24h !workflow:checkout "free text"';

/** The search box and the sort select, inside the list's filter form (a submit carries both). */
export function searchFields(filters) {
  return [
    field('Search groups', h('input', { type: 'search', name: 'query', id: 'group-search', class: 'search', value: filters.query || '',
      placeholder: HINT, title: `Search: ${HINT}`, autocomplete: 'off', spellcheck: 'false' }), { hidden: true, className: 'search-field' }),
    field('Sort', h('select', { name: 'sort', id: 'group-sort' }, SORTS.map(([v, label]) =>
      h('option', { value: v, selected: v === (filters.sort || '-lastSeen') }, `sort: ${label}`))), { hidden: true })];
}

/** The distinct users a group's events named (hashed ids), as the list and the page show them. */
export function usersLabel(group) {
  const n = Number(group && group.usersAffected);
  return Number.isFinite(n) ? String(n) : '—';
}

/**
 * @typedef {object} GroupTags GET /api/v1/groups/{id}/tags: io.faultline.impact.model.GroupTags
 * @property {string} groupId
 * @property {number} usersAffected
 * @property {?string} firstRelease
 * @property {?string} lastRelease
 * @property {{key: string, events: number, distinctValues: number, top: TagValue[]}[]} tags GroupTags.Distribution
 */

/** @typedef {{value: string, count: number, share: number, firstSeen: string, lastSeen: string}} TagValue GroupTags.Value */

/** @param {TagValue} value */
function bar(value) {
  const share = Math.max(0, Math.min(1, value.share));
  return h('li', { class: 'tag-value' },
    h('div', { class: 'tag-bar', 'aria-hidden': 'true' }, h('span', { class: 'tag-fill', style: `width: ${(share * 100).toFixed(1)}%` })),
    h('span', { class: 'tag-name' }, value.value),
    h('span', { class: 'muted small' }, ` ${(share * 100).toFixed(share < 0.1 ? 1 : 0)}% · ${value.count}`));
}

function distribution(tag) {
  const others = tag.distinctValues - tag.top.length;
  return h('div', { class: 'tag-dist' },
    h('h3', {}, tag.key, h('span', { class: 'muted small' }, ` ${count(tag.events, 'event')}`)),
    h('ul', { class: 'tag-values' }, tag.top.map(bar)),
    others > 0 ? h('p', { class: 'muted small' }, `and ${others} more values`) : '');
}

/**
 * Fills the card with the group's users affected, first and last release, and a bar per top
 * value of every tag, from GET /api/v1/groups/{id}/tags.
 */
export async function loadTags(section, groupId) {
  const body = section.querySelector('.card-body') || section;
  body.replaceChildren(state('loading', 'Loading…'));
  try {
    /** @type {GroupTags} */
    const t = await api.get(`/api/v1/groups/${encodeURIComponent(groupId)}/tags`);
    const tags = t.tags;
    body.replaceChildren(
      h('p', { id: 'group-users' }, h('strong', {}, usersLabel(t)), Number(t.usersAffected) === 1 ? ' user affected' : ' users affected',
        t.firstRelease ? h('span', { class: 'muted small' }, ` · first release ${t.firstRelease}`) : '',
        t.lastRelease ? h('span', { class: 'muted small' }, ` · last release ${t.lastRelease}`) : ''),
      tags.length ? h('div', { class: 'tag-grid', id: 'tag-distributions' }, tags.map(distribution))
        : state('empty', 'No tags on this group\'s events yet.'));
  } catch (e) {
    body.replaceChildren(state(e.notAvailable ? 'empty' : 'error', e.message));
  }
}
