// The SRE dashboard: overview, groups (server-side pages), group detail; fed live over SSE.
import { api, ApiError, listOf, setCsrfToken } from './api.js';
import { h, ago, money, percent, state } from './dom.js';
import { lineChart, sparkline, gauge } from './charts.js';
import { eventView, loadEvent } from './event.js';
import { renderAlerts } from './alerts.js';
import { searchFields, usersLabel, loadTags } from './search.js';
import { slaReportLinks } from './slareport.js';

const BUCKET_MS = 10_000;
const BUCKETS = 60; // ten minutes of live error rate
const FEED_MAX = 50;

const live = {
  buckets: new Array(BUCKETS).fill(0),
  bucketStart: Math.floor(Date.now() / BUCKET_MS) * BUCKET_MS,
  perGroup: new Map(), // groupId -> bucket counts
  samples: new Map(), // groupId -> latest error item (has the stack)
  feed: [], // newest first: errors and signals
  resolutions: [], // newest first
};
let me = null;
let rerender = () => {};

const view = document.getElementById('view');

function rotateBuckets(now = Date.now()) {
  const current = Math.floor(now / BUCKET_MS) * BUCKET_MS;
  const shift = Math.min(BUCKETS, Math.round((current - live.bucketStart) / BUCKET_MS));
  if (shift <= 0) return;
  const roll = (arr) => { arr.splice(0, shift); while (arr.length < BUCKETS) arr.push(0); };
  roll(live.buckets);
  for (const counts of live.perGroup.values()) roll(counts);
  live.bucketStart = current;
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
  rerender(item);
}

function connectStream() {
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

// ---------------------------------------------------------------- overview

function card(title, id, body) {
  return h('section', { class: 'card', id }, h('h2', {}, title), h('div', { class: 'card-body' }, body));
}

function fill(section, ...content) {
  const body = section.querySelector('.card-body');
  body.replaceChildren(...content);
}

function firstErrorHint() {
  const url = `${me.ingestUrl}/api/v1/projects/${me.projectId}/events`;
  const curl = `curl -X POST "${url}" \\\n  -H "Authorization: Bearer $PROJECT_KEY" -H 'Content-Type: application/json' \\\n  -d '{"level":"error","message":"my first error","exception":{"values":[{"type":"IllegalStateException","value":"boom"}]}}'`;
  return state('empty', 'No errors yet. Send a first one (or point a Sentry SDK at this project, DSN in stack.env):',
    h('pre', { class: 'code', id: 'first-error' }, curl));
}

function renderErrorRate(section) {
  rotateBuckets();
  const perMinute = live.buckets.reduce((a, b) => a + b, 0) / (BUCKETS * BUCKET_MS / 60_000);
  fill(section,
    lineChart(live.buckets, { label: 'errors per 10 seconds, last 10 minutes' }),
    h('p', { class: 'muted small' }, `${perMinute.toFixed(1)} errors/min over the last 10 minutes (counted live since this page opened)`));
}

function groupRow(group) {
  const counts = live.perGroup.get(group.groupId) || new Array(BUCKETS).fill(0);
  return h('tr', {},
    h('td', {}, h('span', { class: `sev sev-${group.severity || 'unknown'}` }, group.severity || '?')),
    h('td', {}, h('a', { href: `#/group/${encodeURIComponent(group.groupId)}`, class: 'group-link' }, group.title || group.groupId),
      h('div', { class: 'muted small' }, [group.category, group.workflow, group.businessImpact].filter(Boolean).join(' · '))),
    h('td', { class: 'num' }, group.count ?? '—'),
    h('td', { class: 'num' }, usersLabel(group)),
    h('td', {}, sparkline(counts.slice(-30))),
    h('td', { class: 'muted' }, ago(group.lastSeen)),
    h('td', {}, group.status || ''));
}

/**
 * A workflow's error rate. Errors without any request count have no rate: 0 % would read as
 * healthy, so the cell says there is no traffic and how to get a rate.
 */
function errorRateCell(w) {
  if (!(Number(w.requests) > 0) && Number(w.errors) > 0) {
    return h('td', { class: 'num muted', title: 'Errors but no request count: post traffic samples (POST /api/v1/projects/{id}/traffic) to get a rate' }, 'no traffic');
  }
  return h('td', { class: 'num' }, percent(w.errorRate));
}

/** The impact-service's health score is on a 0..100 scale (docs/impact-model.md), not a fraction. */
function healthScore(score) {
  const n = Number(score);
  if (score === null || score === undefined || !Number.isFinite(n)) return '—';
  return `${n.toLocaleString(undefined, { maximumFractionDigits: 2 })}/100`;
}

function groupTable(groups) {
  return h('table', { class: 'groups' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Sev'), h('th', {}, 'Group'), h('th', {}, 'Events'), h('th', {}, 'Users'), h('th', {}, 'Live'), h('th', {}, 'Last seen'), h('th', {}, 'Status'))),
    h('tbody', {}, groups.map(groupRow)));
}

function renderFeed(section) {
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

function timelineItems(items) {
  return h('ol', { class: 'timeline', id: 'timeline-list' }, items.map((r) => h('li', {},
    h('span', { class: 'muted small' }, new Date(typeof r.at === 'number' ? r.at : (r.timestamp || r.at)).toLocaleString()),
    ' ',
    h('strong', {}, r.action || r.phase || r.type || ''),
    ' ',
    h('span', {}, r.message || r.title || ''),
    r.groupId ? h('a', { href: `#/group/${encodeURIComponent(r.groupId)}`, class: 'muted small' }, ` group ${r.groupId.slice(0, 12)}`) : '')));
}

async function loadInto(section, loader, render) {
  fill(section, state('loading', 'Loading…'));
  try {
    render(await loader());
  } catch (e) {
    const hint = e instanceof ApiError && e.notAvailable
      ? 'This impact-service does not offer it yet; the rest of the dashboard works.'
      : 'Check the impact-service is up (GET /q/health/ready on the dashboard tells), then reload.';
    fill(section, state(e.notAvailable ? 'empty' : 'error', e.message, h('p', { class: 'muted small' }, hint)));
  }
}

function renderOverview() {
  const rate = card('Error rate (live)', 'error-rate');
  const top = card('Top groups', 'top-groups');
  const impact = card('Business impact per workflow', 'workflow-impact');
  const sla = card('SLA', 'sla');
  sla.append(slaReportLinks()); // outside the card body, which each load replaces
  const feed = card('Live feed', 'feed');
  const timeline = card('Resolution timeline', 'timeline');
  const incidents = card('Open incidents', 'incidents');
  view.replaceChildren(h('div', { class: 'grid' }, rate, feed, top, impact, sla, incidents, timeline));

  renderErrorRate(rate);
  renderFeed(feed);
  let serverResolutions = [];
  const drawTimeline = () => {
    const items = [...live.resolutions, ...serverResolutions];
    fill(timeline, items.length ? timelineItems(items) : state('empty', 'No resolution activity yet. Automated runbooks and manual actions show up here.'));
  };
  drawTimeline();

  loadInto(top, () => api.get('/api/v1/overview', { limit: 10 }), (overview) => {
    const groups = listOf(overview, 'groups');
    if (!groups.length && !live.feed.length) { fill(top, firstErrorHint()); return; }
    fill(top,
      h('p', { class: 'muted small' }, `${overview.totalEvents ?? 0} events in ${overview.groupCount ?? groups.length} groups`),
      groupTable(groups),
      h('a', { href: '#/groups' }, 'All groups →'));
  });

  loadInto(impact, () => api.get('/api/v1/workflows/impact'), (payload) => {
    const rows = listOf(payload, 'workflows', 'items');
    if (!rows.length) { fill(impact, state('empty', 'No workflow traffic recorded yet. Workflows come from the workflow tag on events and traffic samples.')); return; }
    const maxLoss = Math.max(1, ...rows.map((w) => Number(w.revenueLoss || 0)));
    fill(impact, payload.revenueLoss != null ? h('p', { class: 'muted small' }, `${money(payload.revenueLoss)} revenue lost in the window · health ${healthScore(payload.healthScore)}`) : '', h('table', { class: 'impact' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Workflow'), h('th', {}, 'Requests'), h('th', {}, 'Errors'), h('th', {}, 'Error rate'), h('th', {}, 'Revenue lost'))),
      h('tbody', {}, rows.map((w) => h('tr', {},
        h('td', {}, w.workflow),
        h('td', { class: 'num' }, w.requests ?? '—'),
        h('td', { class: 'num' }, w.errors ?? '—'),
        errorRateCell(w),
        h('td', {}, h('div', { class: 'bar' }, h('span', { style: `width:${(100 * Number(w.revenueLoss || 0) / maxLoss).toFixed(0)}%` })), money(w.revenueLoss)))))));
  });

  loadInto(incidents, () => api.get('/api/v1/incidents', { status: 'open', limit: 10 }), (payload) => {
    const rows = listOf(payload, 'items');
    if (!rows.length) { fill(incidents, state('empty', 'No open incident. One opens on a critical or revenue-blocking error, a spike, a new issue, a regression or an SLO burn.')); return; }
    fill(incidents, h('ol', { class: 'timeline', id: 'incident-list' }, rows.map((i) => h('li', {},
      h('span', { class: `sev sev-${i.severity || 'unknown'}` }, i.trigger || '?'), ' ',
      i.groupId ? h('a', { href: `#/group/${encodeURIComponent(i.groupId)}` }, i.title || i.groupId) : h('span', {}, i.title || [i.scope, i.workflow || i.projectId || i.incidentId].filter(Boolean).join(' ')),
      h('span', { class: 'muted small' }, ` · opened ${ago(i.openedAt)} · ${i.eventCount ?? 0} events, ${i.signalCount ?? 0} signals`)))));
  });

  loadInto(sla, () => api.get('/api/v1/sla'), (payload) => {
    if (payload && payload.errorRate) { fill(sla, slaReport(payload)); return; }
    const rows = listOf(payload, 'workflows', 'items', 'slas', 'objectives');
    if (!rows.length) { fill(sla, state('empty', 'No SLA objectives configured in the impact-service.')); return; }
    fill(sla, h('div', { class: 'gauges' }, rows.map((s) => {
      const actual = Number(s.successRate ?? s.attainment ?? s.availability ?? s.actual ?? 0);
      const target = s.target ?? s.objective ?? s.slo;
      const norm = (v) => (v > 1 ? v / 100 : v);
      return h('figure', { class: 'gauge-box' }, gauge(norm(actual), target == null ? null : norm(Number(target))),
        h('figcaption', {}, h('strong', {}, s.workflow || s.name || '?'), h('br'), `${percent(norm(actual))}${target == null ? '' : ' / ' + percent(norm(Number(target)))}`));
    })));
  });

  api.get('/api/v1/resolutions', { limit: 20 }).then((payload) => {
    serverResolutions = listOf(payload, 'items', 'resolutions', 'entries');
    drawTimeline();
  }).catch(() => { /* live items still show; the endpoint may not exist yet */ });

  const ticker = setInterval(() => { if (document.body.contains(rate)) renderErrorRate(rate); else clearInterval(ticker); }, BUCKET_MS);
  rerender = (item) => {
    renderErrorRate(rate);
    if (item.kind === 'resolution') drawTimeline(); else renderFeed(feed);
    if (item.kind === 'error' && top.querySelector('#first-error')) {
      fill(top, state('empty', 'Errors are arriving (see the live feed); their groups are listed here once the impact-service has counted them. Reload in a moment.'));
    }
  };
}

/**
 * The impact-service's SLA report: rates are shown as "good fraction" so every gauge reads higher =
 * better. A null rate means there was nothing to measure; it shows as "—" with the reason, never
 * as 0 % or 100 %. Each dial takes its colour from the server's verdict on that objective (without
 * traffic, for one, compliance means no errors at all, which no value/target comparison can tell);
 * a `no_data` verdict is neither green nor red. Below the dials, every objective of the report
 * (`objectives`, newer impact-services) with its verdict, its error budget and, for `no data`, why.
 */
function slaReport(report) {
  const good = (rate) => (rate === null || rate === undefined ? null : 1 - Number(rate));
  // the verdict when the server gives one (no data: null, neither colour), else its older compliant flag
  const okOf = (o) => (o.verdict ? (o.verdict === 'no_data' ? null : o.verdict === 'compliant') : o.compliant);
  const rateDial = (name, r) => r && {
    name,
    value: good(r.rate),
    target: good(r.target),
    ok: okOf(r),
    why: r.rate == null ? (Number(r.errors) > 0
      ? `No rate: ${r.errors} error(s) but no traffic reported in the window, and without traffic only zero errors complies. Post traffic samples (POST /api/v1/projects/{id}/traffic) to get a rate.`
      : 'No rate: no traffic reported in the window, and no errors either.') : null,
  };
  const auto = report.autoResolution;
  const dials = [
    rateDial('Error rate', report.errorRate),
    rateDial('Critical error rate', report.criticalErrorRate),
    auto && {
      name: 'Auto-resolution',
      value: auto.rate == null ? null : Number(auto.rate),
      target: Number(auto.target),
      ok: okOf(auto),
      why: auto.rate == null ? (auto.reason || 'No rate: nothing actionable in the window (no runbook matched a group).') : null,
    },
    // budgets are informative (no verdict from the server): one is in trouble once nothing is left
    ...(report.errorBudgets || []).map((b) => ({
      name: `Budget left: ${String(b.objective).replaceAll('_', ' ')}`,
      value: b.remaining == null ? null : Number(b.remaining),
      target: null,
      ok: b.remaining != null && Number(b.remaining) > 0,
      why: b.remaining == null
        ? `No budget to spend: ${b.consumedErrors ?? 'some'} error(s) but nothing allowed (no traffic reported in the budget window, or a zero target).`
        : Number(b.remaining) < 0 ? `Overspent: ${b.consumedErrors} errors against ${b.allowedErrors} allowed in the budget window.` : null,
    })),
  ].filter(Boolean);
  const verdict = report.verdict || (report.compliant ? 'compliant' : 'breached');
  const headline = { compliant: 'Within SLA', breached: 'SLA breached', no_data: 'No SLA data' }[verdict] || verdict;
  return h('div', {},
    h('p', { class: verdict === 'compliant' ? 'ok' : verdict === 'breached' ? 'alert' : 'muted', id: 'sla-compliant' }, headline,
      h('span', { class: 'muted small' }, ` · revenue-blocking errors ${report.revenueBlockingErrors ? report.revenueBlockingErrors.count + ' / ' + report.revenueBlockingErrors.target : '—'}`)),
    h('div', { class: 'gauges' }, dials.map((d) => h('figure', { class: 'gauge-box', title: d.why },
      gauge(d.value, d.target, { ok: d.ok }),
      h('figcaption', {}, h('strong', {}, d.name), h('br'), `${percent(d.value)}${d.target == null ? '' : ' / ' + percent(d.target)}`)))),
    Array.isArray(report.objectives) ? slaObjectives(report.objectives) : '');
}

const VERDICT_LABEL = { compliant: 'compliant', breached: 'breached', no_data: 'no data' };

/** Seconds for time to resolve, a count for revenue-blocking errors, a percentage for every share. */
function objectiveValue(o, value) {
  if (value === null || value === undefined) return '—';
  if (String(o.id).startsWith('time_to_resolve')) return seconds(Number(value));
  if (o.id === 'revenue_blocking_errors') return String(Math.round(Number(value)));
  return percent(value);
}

function seconds(s) {
  if (s < 120) return `${Number(s.toFixed(1))} s`;
  if (s < 7200) return `${Number((s / 60).toFixed(1))} min`;
  return `${Number((s / 3600).toFixed(1))} h`;
}

function slaObjectives(objectives) {
  return h('table', { class: 'objectives', id: 'sla-objectives' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Objective'), h('th', {}, 'Measured'), h('th', {}, 'Target'), h('th', {}, 'Verdict'), h('th', {}, 'Budget left'))),
    h('tbody', {}, objectives.map((o) => h('tr', { 'data-objective': o.id },
      h('td', {}, o.name || o.id),
      h('td', { class: 'num' }, objectiveValue(o, o.actual)),
      h('td', { class: 'num' }, `${o.comparison === '<=' ? '≤' : o.comparison || ''} ${objectiveValue(o, o.target)}`.trim()),
      h('td', {}, h('span', { class: `verdict verdict-${o.verdict}` }, VERDICT_LABEL[o.verdict] || o.verdict),
        o.reason ? h('div', { class: 'muted small reason' }, o.reason) : ''),
      h('td', { class: 'num', title: o.budget ? `${o.budget.consumed} of ${o.budget.allowed} ${o.budget.unit} allowed` : '' },
        o.budget ? percent(o.budget.remaining) : '—')))));
}

// ---------------------------------------------------------------- groups (server-side pages)

async function renderGroups(params) {
  const filters = { query: params.get('query') || '', sort: params.get('sort') || '', status: params.get('status') || '', severity: params.get('severity') || '', cursor: params.get('cursor') || '', limit: 25 };
  const form = h('form', { class: 'filters', onsubmit: (e) => {
    e.preventDefault();
    const data = new FormData(e.target);
    location.hash = `#/groups?${new URLSearchParams([...data].filter(([, v]) => v))}`;
  } },
  searchFields(filters),
  h('select', { name: 'severity' }, ['', 'critical', 'high', 'medium', 'low', 'info'].map((s) => h('option', { value: s, selected: s === filters.severity }, s || 'any severity'))),
  h('select', { name: 'status' }, ['', 'unresolved', 'resolved', 'ignored', 'regressed', 'merged'].map((s) => h('option', { value: s, selected: s === filters.status }, s || 'any status'))),
  h('button', { type: 'submit' }, 'Filter'));
  const list = card('Error groups', 'group-list');
  view.replaceChildren(form, list);
  rerender = () => {};
  await loadInto(list, () => api.get('/api/v1/groups', filters), (page) => {
    const groups = listOf(page, 'items', 'groups');
    if (!groups.length) { fill(list, filters.cursor || filters.severity || filters.status || filters.query ? state('empty', 'No groups match these filters.') : firstErrorHint()); return; }
    const next = page.nextCursor || page.next_cursor || page.next;
    const query = (cursor) => `#/groups?${new URLSearchParams(Object.entries({ ...filters, limit: '', cursor }).filter(([, v]) => v))}`;
    fill(list, groupTable(groups), h('nav', { class: 'pager' },
      filters.cursor ? h('a', { href: query(''), id: 'first-page' }, '← First page') : '',
      next ? h('a', { href: query(next), id: 'next-page' }, 'Next page →') : h('span', { class: 'muted' }, 'Last page')));
  });
}

// ---------------------------------------------------------------- group detail

function stackTrace(lines) {
  return lines && lines.length ? h('pre', { class: 'code stack', id: 'stack-trace' }, lines.join('\n')) : null;
}

function stackFromEvent(event) {
  const exceptions = event && (event.exceptions || (event.exception && event.exception.values));
  if (!exceptions || !exceptions.length) return null;
  const ex = exceptions[exceptions.length - 1];
  const frames = ex.frames || (ex.stacktrace && ex.stacktrace.frames) || [];
  return [`${ex.type || 'Error'}${ex.value ? ': ' + ex.value : ''}`,
    ...frames.slice().reverse().map((f) => `at ${f.module || f.filename || '?'}${f.function ? '.' + f.function : ''}${f.lineno ? ':' + f.lineno : ''}`)];
}

async function renderGroup(groupId) {
  const sample = live.samples.get(groupId);
  const header = h('section', { class: 'card', id: 'group-detail' }, h('p', { class: 'loading' }, 'Loading…'));
  const actions = h('section', { class: 'card', id: 'group-actions' });
  const trace = card('Event', 'group-event');
  const occurrences = card('Occurrences', 'group-occurrences');
  const history = card('Resolution history', 'group-history');
  const tags = card('Tags', 'group-tags');
  view.replaceChildren(h('a', { href: '#/' }, '← Overview'), header, actions, trace, tags, occurrences, history);
  loadTags(tags, groupId);

  let group = null;
  let detail = null; // the whole payload: the occurrences and hourly counts sit next to the group
  let stored = [];
  let note = null;
  try {
    const payload = await api.get(`/api/v1/groups/${encodeURIComponent(groupId)}`);
    group = payload.group ? { ...payload.group, culprit: payload.culprit, resolvedAt: payload.resolvedAt } : payload;
    detail = payload;
    stored = listOf(payload, 'resolutions');
  } catch (e) {
    note = e.notAvailable
      ? 'The impact-service has no details for this group (yet); showing what the live feed saw.'
      : e.message;
  }
  const info = { groupId, ...(sample || {}), ...(group || {}) };
  const projectId = info.projectId || me.projectId;
  header.replaceChildren(
    h('h1', { id: 'group-title' }, info.title || groupId),
    h('p', {}, h('span', { class: `sev sev-${info.severity || 'unknown'}` }, info.severity || '?'), ' ',
      [info.category, info.workflow, info.businessImpact, info.status].filter(Boolean).join(' · ')),
    h('p', { class: 'muted small' }, `group ${groupId} · project ${projectId}`,
      info.count != null ? ` · ${info.count} events` : '',
      info.firstSeen ? ` · first seen ${ago(info.firstSeen)}` : '', info.lastSeen ? ` · last seen ${ago(info.lastSeen)}` : ''),
    group && group.culprit ? h('p', { class: 'muted small' }, `culprit ${group.culprit}`) : '',
    // the template miner found this group's messages to come from another group's template
    detail && detail.mergedInto ? h('p', { id: 'group-merged', class: 'state state-empty' }, 'Merged into ',
      h('a', { href: `#/group/${encodeURIComponent(detail.mergedInto)}` }, detail.mergedInto),
      ': its messages come from the same template, and its events count there.') : '',
    note ? h('p', { class: 'state state-empty' }, note) : '');

  const canAct = me.role === 'operator' || me.role === 'admin';
  const result = h('p', { id: 'action-result', class: 'muted' });
  const noteInput = h('input', { id: 'action-note', placeholder: 'note for the audit trail (optional)' });
  // an ignore wakes the group up again after this long or this many more occurrences
  const ignoreFor = h('select', { id: 'ignore-until', title: 'Ignore until' },
    [['', 'ignore forever'], ['1h', 'for 1 hour'], ['24h', 'for 24 hours'], ['7d', 'for 7 days'],
      ['n10', 'until 10 more'], ['n100', 'until 100 more']].map(([v, label]) => h('option', { value: v }, label)));
  const act = async (action) => {
    result.textContent = `${action}…`;
    try {
      const body = { action, projectId, note: noteInput.value };
      if (action === 'ignore' && ignoreFor.value) {
        if (ignoreFor.value.startsWith('n')) body.untilOccurrences = Number(ignoreFor.value.slice(1));
        else body.until = ignoreFor.value;
      }
      const recorded = await api.post(`/api/v1/groups/${encodeURIComponent(groupId)}/actions`, body);
      result.textContent = `Recorded: ${recorded.action} by ${recorded.actor} (audit entry ${recorded.entryId.slice(0, 8)}).`;
      result.className = 'ok';
    } catch (e) {
      result.textContent = e.message;
      result.className = 'alert';
    }
  };
  // relabel: pin labels on the group's next events; "rules decide" leaves a label to the rules
  const pick = (id, label, values) => h('select', { id, title: label },
    [h('option', { value: '' }, `${label}: rules decide`), ...values.map((v) => h('option', { value: v, selected: v === info[id.replace('relabel-', '')] }, v))]);
  const relabelSeverity = pick('relabel-severity', 'severity', ['critical', 'high', 'medium', 'low', 'info']);
  const relabelCategory = pick('relabel-category', 'category', ['authentication', 'payment', 'booking', 'database', 'external_api', 'validation', 'performance', 'security', 'user_experience', 'business_logic']);
  const relabelImpact = pick('relabel-businessImpact', 'impact', ['revenue_blocking', 'user_blocking', 'experience_degrading', 'operational', 'monitoring']);
  const relabel = async () => {
    result.textContent = 'relabel…';
    const body = { action: 'relabel', projectId, note: noteInput.value };
    if (relabelSeverity.value) body.severity = relabelSeverity.value;
    if (relabelCategory.value) body.category = relabelCategory.value;
    if (relabelImpact.value) body.businessImpact = relabelImpact.value;
    try {
      const recorded = await api.post(`/api/v1/groups/${encodeURIComponent(groupId)}/actions`, body);
      result.textContent = `Recorded: relabel by ${recorded.actor}; the group's next events carry the new labels.`;
      result.className = 'ok';
    } catch (e) {
      result.textContent = e.message;
      result.className = 'alert';
    }
  };
  actions.replaceChildren(h('h2', {}, 'Actions'),
    canAct ? h('div', { class: 'actions' }, relabelSeverity, relabelCategory, relabelImpact,
      h('button', { id: 'action-relabel', onclick: relabel }, 'Relabel')) : '',
    canAct ? h('div', { class: 'actions' }, noteInput, ignoreFor,
      ['resolve', 'ignore', 'acknowledge', 'reopen'].map((a) => h('button', { id: `action-${a}`, onclick: () => act(a) }, a[0].toUpperCase() + a.slice(1))))
      : h('p', { class: 'muted' }, `You are a ${me.role}; resolving needs the operator role.`),
    result);

  // the stored events come first: the group's recommended one (frames of the application's own
  // code, the most fields), then any other the SRE walks to; the live feed's stack is the fallback
  // for an impact-service that keeps no events (yet) or has not stored this group's first one
  let showingStored = false;
  const showEvent = async (target) => {
    try {
      const event = await loadEvent(groupId, target);
      showingStored = true;
      fill(trace, eventView(event, showEvent));
    } catch (e) {
      if (showingStored) {
        fill(trace, state('error', e.message), h('button', { class: 'link', onclick: () => showEvent({ pick: 'recommended' }) }, 'Back to the recommended event'));
        return;
      }
      const live = stackTrace(sample && sample.stack) || stackTrace(stackFromEvent(group && (group.sample || group.sampleEvent || group.latestEvent)));
      fill(trace, live || state(e.notAvailable ? 'empty' : 'error', e.notAvailable
        ? 'No stored event for this group yet. Its next occurrence shows here live.'
        : `${e.message} The next occurrence shows here live.`));
    }
  };
  fill(trace, h('p', { class: 'loading' }, 'Loading the recommended event…'));
  const shown = showEvent({ pick: 'recommended' });

  const events = listOf(detail, 'recentEvents', 'occurrences', 'events', 'samples');
  // the week before the group was last seen, one point per hour (hours without events are zero)
  const hourly = listOf(detail, 'hourlyCounts');
  let chart = '';
  if (hourly.length) {
    const counts = new Map(hourly.map((c) => [Date.parse(c.hour), Number(c.count)]));
    const last = Math.max(...counts.keys());
    const first = Math.max(Math.min(...counts.keys()), last - 7 * 24 * 3600e3);
    const series = [];
    for (let t = first; t <= last; t += 3600e3) series.push(counts.get(t) || 0);
    chart = h('div', { id: 'occurrence-chart' },
      lineChart(series, { label: 'events per hour' }),
      h('p', { class: 'muted small' }, `${series.reduce((a, b) => a + b, 0)} events in the ${series.length} hour(s) up to the last one seen, per hour`));
  }
  // the event id is what finds the occurrence in the SDK's or the service's own logs
  fill(occurrences, chart, events.length
    ? h('table', { id: 'occurrence-list' }, h('tbody', {}, events.slice(0, 50).map((ev) => h('tr', {},
      h('td', { class: 'muted' }, ago(ev.occurredAt || ev.timestamp || ev.at || ev.receivedAt)),
      h('td', {}, ev.message || ''),
      h('td', { class: 'muted small' }, [ev.release, ev.environment, ev.serverName].filter(Boolean).join(' · ')),
      h('td', { class: 'muted small' }, ev.eventId
        ? h('button', { class: 'link', title: 'Show this event', onclick: () => showEvent({ id: ev.eventId }) }, h('code', {}, ev.eventId))
        : h('code', {}, ev.id || ''))))))
    : state('empty', 'No stored occurrences to list (the impact-service keeps counts; new occurrences appear in the live feed).'));

  const drawHistory = () => {
    const items = [...live.resolutions.filter((r) => r.groupId === groupId), ...stored];
    fill(history, items.length ? timelineItems(items) : state('empty', 'No resolution activity for this group since this page opened.'));
  };
  drawHistory();
  rerender = (item) => {
    if (item.groupId !== groupId) return;
    if (item.kind === 'resolution') drawHistory();
    if (item.kind === 'error' && item.stack && item.stack.length && !showingStored) fill(trace, stackTrace(item.stack));
  };
  await shown;
}

// ---------------------------------------------------------------- start

function route() {
  const [path, query] = (location.hash.slice(1) || '/').split('?');
  const params = new URLSearchParams(query || '');
  if (path.startsWith('/group/')) renderGroup(decodeURIComponent(path.slice('/group/'.length)));
  else if (path === '/groups') renderGroups(params);
  else if (path === '/alerts') renderAlerts(view, me.role !== 'viewer');
  else renderOverview();
}

async function start() {
  try {
    me = await api.get('/api/v1/me');
  } catch (e) {
    view.replaceChildren(state('error', e.message, h('a', { href: '/login.html' }, 'Sign in')));
    return;
  }
  setCsrfToken(me.csrfToken);
  document.getElementById('who').textContent = `${me.user} (${me.role})`;
  // the logout form is a state change like any other: it carries the CSRF token
  document.getElementById('logout').addEventListener('submit', async (e) => {
    e.preventDefault();
    await fetch('/auth/logout', { method: 'POST', headers: { 'X-Faultline-CSRF': me.csrfToken }, credentials: 'same-origin' });
    location.href = '/login.html';
  });
  connectStream();
  window.addEventListener('hashchange', route);
  route();
}

start();
