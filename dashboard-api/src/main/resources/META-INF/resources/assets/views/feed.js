// The overview's live feed card: errors and signals as they happen, newest first. It is the page's
// live region: a new item is added to the list (not the list redrawn), so a screen reader announces
// that item alone.
import { card, fill, h, ago, state } from '../dom.js';
import { live } from '../live.js';

export function feedCard() {
  const section = card('feed', 'Live feed');
  // additions only: the items the page drops off the end are not news
  section.querySelector('.card-body').setAttribute('aria-live', 'polite');
  section.querySelector('.card-body').setAttribute('aria-relevant', 'additions');
  return section;
}

/** @param {import('../live.js').FeedEvent} item */
function feedItem(item) {
  return h('li', { class: `feed-${item.kind}` },
    h('span', { class: `sev sev-${item.severity}` }, item.kind === 'signal' ? item.type : item.severity),
    ' ',
    item.groupId ? h('a', { href: `#/group/${encodeURIComponent(item.groupId)}`, class: 'feed-title' }, item.title) : h('span', { class: 'feed-title' }, item.title),
    h('span', { class: 'muted small' }, ` ${item.workflow ? item.workflow + ' · ' : ''}${ago(item.at)}`));
}

/** Draws the feed as the page holds it (on opening the overview). */
export function drawFeed(section) {
  if (!live.feed.length) {
    fill(section, state('empty', 'Waiting for errors and signals… New ones appear here as they happen.'));
    return;
  }
  fill(section, h('ol', { class: 'feed', id: 'feed-list' }, live.feed.map(feedItem)));
}

/** Adds the newest item on top, dropping those the page no longer keeps. */
export function addToFeed(section, item) {
  const list = section.querySelector('#feed-list');
  if (!list) {
    drawFeed(section);
    return;
  }
  list.prepend(feedItem(item));
  while (list.children.length > live.feed.length) list.lastElementChild.remove();
}
