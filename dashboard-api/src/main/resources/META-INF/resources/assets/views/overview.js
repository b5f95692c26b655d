// The overview (#/): every card at a glance, the live ones redrawn as the feed brings items.
import { h } from '../dom.js';
import { listen } from '../live.js';
import { errorRateCard, drawErrorRate, tickErrorRate } from './error-rate.js';
import { feedCard, drawFeed, addToFeed } from './feed.js';
import { topGroupsCard, noteArrivingErrors } from './top-groups.js';
import { workflowImpactCard } from './workflow-impact.js';
import { slaCard } from './sla.js';
import { incidentsCard } from './incidents.js';
import { timelineCard } from './timeline.js';

export function renderOverview(view, me) {
  const rate = errorRateCard();
  const feed = feedCard();
  const timeline = timelineCard();
  const top = topGroupsCard(me);
  view.replaceChildren(h('div', { class: 'grid' }, rate, feed, top, workflowImpactCard(), slaCard(), incidentsCard(), timeline.section));

  drawErrorRate(rate);
  drawFeed(feed);
  tickErrorRate(rate);
  listen((item) => {
    drawErrorRate(rate);
    if (item.kind === 'resolution') timeline.draw(); else addToFeed(feed, item);
    if (item.kind === 'error') noteArrivingErrors(top);
  });
}
