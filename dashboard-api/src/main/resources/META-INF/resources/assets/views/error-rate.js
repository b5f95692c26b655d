// The overview's error rate card: errors per 10 s over the last 10 minutes, counted live since the
// page opened (the server keeps no per-second counts to start it from).
import { card, fill, h } from '../dom.js';
import { lineChart } from '../charts.js';
import { live, rotateBuckets, BUCKETS, BUCKET_MS } from '../live.js';

export function errorRateCard() {
  return card('error-rate', 'Error rate (live)');
}

export function drawErrorRate(section) {
  rotateBuckets();
  const perMinute = live.buckets.reduce((a, b) => a + b, 0) / (BUCKETS * BUCKET_MS / 60_000);
  fill(section,
    lineChart(live.buckets, { label: 'errors per 10 seconds, last 10 minutes' }),
    h('p', { class: 'muted small' }, `${perMinute.toFixed(1)} errors/min over the last 10 minutes (counted live since this page opened)`));
}

/** Redraws every bucket period while the card is on the page, so an idle rate still moves on. */
export function tickErrorRate(section) {
  const ticker = setInterval(() => { if (document.body.contains(section)) drawErrorRate(section); else clearInterval(ticker); }, BUCKET_MS);
}
