// The live feed over SSE, and what the page keeps of it: error counts per 10 s (overall and per
// group), the latest error of each group (it has the stack), and the newest feed items. The view
// on screen listens; the shell hands the listener to each view it renders.

/**
 * @typedef {object} FeedEvent one item of the SSE stream: dashboard-api's io.faultline.dashboard.stream.FeedEvent
 * @property {'error'|'signal'|'resolution'} kind
 * @property {string} type the event's level (error), the signal kind (signal) or the phase (resolution)
 * @property {number} at epoch milliseconds
 * @property {string} projectId
 * @property {?string} groupId null for a signal on a workflow or a project
 * @property {string} title
 * @property {string} severity
 * @property {?string} category errors only
 * @property {?string} businessImpact errors only
 * @property {?string} workflow
 * @property {string} message
 * @property {?string} action resolutions only, null for a phase that runs none
 * @property {string[]} stack errors only: the innermost exception, crashing frame first
 */

export const BUCKET_MS = 10_000;
export const BUCKETS = 60; // ten minutes of live error rate
const FEED_MAX = 50;

export const live = {
  buckets: new Array(BUCKETS).fill(0),
  bucketStart: Math.floor(Date.now() / BUCKET_MS) * BUCKET_MS,
  perGroup: new Map(), // groupId -> bucket counts
  samples: new Map(), // groupId -> latest error FeedEvent (has the stack)
  feed: [], // newest first: errors and signals
  resolutions: [], // newest first
};

let listener = () => {};

/** The view on screen hears every live item; a new view replaces the previous one's listener. */
export function listen(fn) {
  listener = fn;
}

export function rotateBuckets(now = Date.now()) {
  const current = Math.floor(now / BUCKET_MS) * BUCKET_MS;
  const shift = Math.min(BUCKETS, Math.round((current - live.bucketStart) / BUCKET_MS));
  if (shift <= 0) return;
  const roll = (arr) => { arr.splice(0, shift); while (arr.length < BUCKETS) arr.push(0); };
  roll(live.buckets);
  for (const counts of live.perGroup.values()) roll(counts);
  live.bucketStart = current;
}

/** A group's error counts per bucket, oldest first (zeros for a group the feed has not seen). */
export function groupCounts(groupId) {
  return live.perGroup.get(groupId) || new Array(BUCKETS).fill(0);
}

function onLive(item) {
  rotateBuckets();
  if (item.kind === 'error') {
    live.buckets[BUCKETS - 1]++;
    if (!live.perGroup.has(item.groupId)) live.perGroup.set(item.groupId, new Array(BUCKETS).fill(0));
    live.perGroup.get(item.groupId)[BUCKETS - 1]++;
    live.samples.set(item.groupId, item);
  }
  if (item.kind === 'resolution') {
    live.resolutions.unshift(item);
    live.resolutions.length = Math.min(live.resolutions.length, FEED_MAX);
  } else {
    live.feed.unshift(item);
    live.feed.length = Math.min(live.feed.length, FEED_MAX);
  }
  listener(item);
}

export function connectStream() {
  const status = document.getElementById('live-status');
  const source = new EventSource('/api/v1/stream');
  source.onopen = () => { status.textContent = 'live'; status.className = 'live-status on'; };
  source.onerror = () => {
    if (source.readyState === EventSource.OPEN) return;
    status.textContent = 'reconnecting…';
    status.className = 'live-status off';
    status.title = 'The live feed dropped; the browser retries every few seconds. If it stays off, check the dashboard can reach Kafka.';
  };
  for (const kind of ['error', 'signal', 'resolution']) {
    source.addEventListener(`faultline.${kind}`, (e) => {
      status.textContent = 'live';
      status.className = 'live-status on';
      onLive(JSON.parse(e.data));
    });
  }
}
