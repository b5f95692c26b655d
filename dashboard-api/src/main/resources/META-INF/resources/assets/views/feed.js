// The overview's live feed card: errors and signals as they happen, newest first.
import { card, fill, h, ago, state } from '../dom.js';
import { live } from '../live.js';

export function feedCard() {
  return card('feed', 'Live feed');
}

export function drawFeed(section) {
  if (!live.feed.length) {
    fill(section, state('empty', 'Waiting for errors and signals… New ones appear here as they happen.'));
    return;
  }
  fill(section, h('ol', { class: 'feed', id: 'feed-list' }, live.feed.map((item) => h('li', { class: `feed-${item.kind}` },
    h('span', { class: `sev sev-${item.severity || 'unknown'}` }, item.kind === 'signal' ? item.type : (item.severity || 'error')),
    ' ',
    item.groupId ? h('a', { href: `#/group/${encodeURIComponent(item.groupId)}`, class: 'feed-title' }, item.title || item.groupId) : h('span', { class: 'feed-title' }, item.title),
    h('span', { class: 'muted small' }, ` ${item.workflow ? item.workflow + ' · ' : ''}${ago(item.at)}`)))));
}
