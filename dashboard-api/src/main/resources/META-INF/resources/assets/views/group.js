// The group page (#/group/{id}): the group, the operator's actions, its stored events (or the live
// feed's stack), tags, occurrences and resolution history.
import { api } from '../api.js';
import { card, count, field, fill, h, ago, state } from '../dom.js';
import { lineChart } from '../charts.js';
import { eventView, loadEvent } from '../event.js';
import { loadTags } from '../search.js';
import { live, listen } from '../live.js';
import { vocabulary } from '../vocabulary.js';
import { timelineItems, fromEntry, fromFeed } from './timeline.js';
import { releaseResolution, resolveInReleaseControl } from './release.js';

/**
 * @typedef {object} GroupDetail GET /api/v1/groups/{id}: io.faultline.impact.model.GroupDetail
 * @property {import('../group-table.js').GroupSummary} group
 * @property {?string} culprit
 * @property {string} strategy the grouping strategy that made the group
 * @property {?string} resolvedAt ISO-8601 instant of the last fix
 * @property {import('./timeline.js').ResolutionEntry[]} resolutions
 * @property {{hour: string, count: number}[]} hourlyCounts GroupDetail.HourCount; hours without events left out
 * @property {Occurrence[]} recentEvents
 * @property {?string} mergedInto set when the group's status is merged
 * @property {?string} resolvedInRelease the release an operator resolved the group after (docs/releases.md)
 * @property {?string} releaseShippedAt ISO-8601 instant a later release first appeared, once it did
 */

/**
 * @typedef {object} Occurrence GroupDetail.Occurrence
 * @property {string} eventId
 * @property {string} occurredAt ISO-8601 instant
 * @property {?string} release
 * @property {?string} environment
 * @property {?string} message
 */

/**
 * @typedef {object} Recorded POST /api/v1/groups/{id}/actions (202): dashboard-api's GroupActions.Recorded
 * @property {string} entryId
 * @property {string} groupId
 * @property {string} action
 * @property {string} actor
 * @property {string} at
 */

/** The live feed's stack (FeedEvent.stack) as a plain trace. */
function stackTrace(lines) {
  return lines.length ? h('pre', { class: 'code stack', id: 'stack-trace' }, lines.join('\n')) : null;
}

/**
 * What the page shows of the group: the stored group, or, where the impact-service has none (yet),
 * what the live feed's latest error of the group said.
 * @param {?GroupDetail} detail @param {?import('../live.js').FeedEvent} sample
 */
function groupFacts(detail, sample) {
  if (detail) return detail.group;
  if (!sample) return null;
  return { projectId: sample.projectId, title: sample.title, severity: sample.severity, category: sample.category,
    businessImpact: sample.businessImpact, workflow: sample.workflow };
}

function groupHeader(groupId, projectId, facts, detail, note) {
  return [
    h('h1', { id: 'group-title' }, facts ? facts.title : groupId),
    facts ? h('p', {}, h('span', { class: `sev sev-${facts.severity}` }, facts.severity), ' ',
      [facts.category, facts.workflow, facts.businessImpact, facts.status].filter(Boolean).join(' · ')) : '',
    h('p', { id: 'group-meta', class: 'muted small' }, `group ${groupId} · project ${projectId}`,
      detail ? ` · ${count(detail.group.count, 'event')} · first seen ${ago(detail.group.firstSeen)} · last seen ${ago(detail.group.lastSeen)}` : ''),
    detail && detail.culprit ? h('p', { class: 'muted small' }, `culprit ${detail.culprit}`) : '',
    // the template miner found this group's messages to come from another group's template
    detail && detail.mergedInto ? h('p', { id: 'group-merged', class: 'state state-empty' }, 'Merged into ',
      h('a', { href: `#/group/${encodeURIComponent(detail.mergedInto)}` }, detail.mergedInto),
      ': its messages come from the same template, and its events count there.') : '',
    note ? h('p', { class: 'state state-empty' }, note) : ''];
}

/**
 * The operator's controls: relabel (the vocabulary's values, from the server), and resolve, ignore
 * (until a time or a count), acknowledge, reopen, with a note. The outcome goes to a status region.
 */
async function actionControls(groupId, projectId, facts) {
  const result = h('p', { id: 'action-result', class: 'muted', role: 'status' });
  const post = async (body, said) => {
    result.textContent = `${body.action}…`;
    try {
      /** @type {Recorded} */
      const recorded = await api.post(`/api/v1/groups/${encodeURIComponent(groupId)}/actions`, body);
      result.textContent = said(recorded);
      result.className = 'ok';
    } catch (e) {
      result.textContent = e.message;
      result.className = 'alert';
    }
  };
  const noteInput = h('input', { id: 'action-note', placeholder: 'optional' });
  // an ignore wakes the group up again after this long or this many more occurrences
  const ignoreFor = h('select', { id: 'ignore-until' },
    [['', 'ignore forever'], ['1h', 'for 1 hour'], ['24h', 'for 24 hours'], ['7d', 'for 7 days'],
      ['n10', 'until 10 more'], ['n100', 'until 100 more']].map(([v, label]) => h('option', { value: v }, label)));
  const act = (action) => {
    const body = { action, projectId, note: noteInput.value };
    if (action === 'ignore' && ignoreFor.value) {
      if (ignoreFor.value.startsWith('n')) body.untilOccurrences = Number(ignoreFor.value.slice(1));
      else body.until = ignoreFor.value;
    }
    return post(body, (r) => `Recorded: ${r.action} by ${r.actor} (audit entry ${r.entryId.slice(0, 8)}).`);
  };
  const manual = h('div', { class: 'actions' }, field('Note for the audit trail', noteInput, { className: 'field-grow' }),
    field('Ignore', ignoreFor),
    ['resolve', 'ignore', 'acknowledge', 'reopen'].map((a) => h('button', { id: `action-${a}`, onclick: () => act(a) }, a[0].toUpperCase() + a.slice(1))),
    resolveInReleaseControl({ groupId, projectId, noteInput, result }));

  // relabel: pin labels on the group's next events; "rules decide" leaves a label to the rules
  let labels;
  try {
    labels = await vocabulary();
  } catch (e) {
    return [state('error', `Relabel is not available: ${e.message}`), manual, result];
  }
  const pick = (key, label, values) => field(label, h('select', { id: `relabel-${key}` },
    [h('option', { value: '' }, 'rules decide'), ...values.map((v) => h('option', { value: v, selected: facts && v === facts[key] }, v))]));
  const severity = pick('severity', 'Severity', labels.severities);
  const category = pick('category', 'Category', labels.categories);
  const impact = pick('businessImpact', 'Impact', labels.businessImpacts);
  const relabel = () => {
    const body = { action: 'relabel', projectId, note: noteInput.value };
    for (const [key, picked] of [['severity', severity], ['category', category], ['businessImpact', impact]]) {
      const { value } = picked.querySelector('select');
      if (value) body[key] = value;
    }
    return post(body, (r) => `Recorded: relabel by ${r.actor}; the group's next events carry the new labels.`);
  };
  return [h('div', { class: 'actions' }, severity, category, impact,
    h('button', { id: 'action-relabel', onclick: relabel }, 'Relabel')), manual, result];
}

/** The week before the group was last seen, one point per hour (hours without events are zero). */
function hourlyChart(hourly) {
  if (!hourly.length) return '';
  const counts = new Map(hourly.map((c) => [Date.parse(c.hour), c.count]));
  const last = Math.max(...counts.keys());
  const first = Math.max(Math.min(...counts.keys()), last - 7 * 24 * 3600e3);
  const series = [];
  for (let t = first; t <= last; t += 3600e3) series.push(counts.get(t) || 0);
  return h('div', { id: 'occurrence-chart' },
    lineChart(series, { label: 'events per hour' }),
    h('p', { class: 'muted small' }, `${count(series.reduce((a, b) => a + b, 0), 'event')} in ${count(series.length, 'hour')}, up to the last one seen, per hour`));
}

/** @param {Occurrence[]} events */
function occurrenceList(events, showEvent) {
  // the event id is what finds the occurrence in the SDK's or the service's own logs
  return events.length
    ? h('table', { id: 'occurrence-list' }, h('tbody', {}, events.slice(0, 50).map((ev) => h('tr', {},
      h('td', { class: 'muted' }, ago(ev.occurredAt)),
      h('td', {}, ev.message || ''),
      h('td', { class: 'muted small' }, [ev.release, ev.environment].filter(Boolean).join(' · ')),
      h('td', { class: 'muted small' },
        h('button', { class: 'link', title: 'Show this event', onclick: () => showEvent({ id: ev.eventId }) }, h('code', {}, ev.eventId)))))))
    : state('empty', 'No stored occurrences to list (the impact-service keeps counts; new occurrences appear in the live feed).');
}

export async function renderGroup(view, me, groupId) {
  const sample = live.samples.get(groupId) || null;
  const header = h('section', { class: 'card', id: 'group-detail' }, h('p', { class: 'loading' }, 'Loading…'));
  const actions = h('section', { class: 'card', id: 'group-actions' });
  const trace = card('group-event', 'Event');
  const occurrences = card('group-occurrences', 'Occurrences');
  const history = card('group-history', 'Resolution history');
  const tags = card('group-tags', 'Tags');
  view.replaceChildren(h('a', { href: '#/' }, '← Overview'), header, actions, trace, tags, occurrences, history);
  loadTags(tags, groupId);

  /** @type {?GroupDetail} */
  let detail = null;
  let note = null;
  try {
    detail = await api.get(`/api/v1/groups/${encodeURIComponent(groupId)}`);
  } catch (e) {
    note = e.notAvailable
      ? 'The impact-service has no details for this group (yet); showing what the live feed saw.'
      : e.message;
  }
  const facts = groupFacts(detail, sample);
  const projectId = facts ? facts.projectId : me.projectId;
  header.replaceChildren(...groupHeader(groupId, projectId, facts, detail, note));

  const canAct = me.role === 'operator' || me.role === 'admin';
  const controls = canAct ? actionControls(groupId, projectId, facts)
    : Promise.resolve([h('p', { class: 'muted' }, `You are a ${me.role}; resolving needs the operator role.`)]);

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
      fill(trace, (sample && stackTrace(sample.stack)) || state(e.notAvailable ? 'empty' : 'error', e.notAvailable
        ? 'No stored event for this group yet. Its next occurrence shows here live.'
        : `${e.message} The next occurrence shows here live.`));
    }
  };
  fill(trace, h('p', { class: 'loading' }, 'Loading the recommended event…'));
  const shown = showEvent({ pick: 'recommended' });

  fill(occurrences, detail ? hourlyChart(detail.hourlyCounts) : '', occurrenceList(detail ? detail.recentEvents : [], showEvent));

  const stored = detail ? detail.resolutions.map(fromEntry) : [];
  const drawHistory = () => {
    const items = [...live.resolutions.filter((r) => r.groupId === groupId).map(fromFeed), ...stored];
    fill(history, items.length ? timelineItems(items) : state('empty', 'No resolution activity for this group since this page opened.'));
  };
  drawHistory();
  listen((item) => {
    if (item.groupId !== groupId) return;
    if (item.kind === 'resolution') drawHistory();
    if (item.kind === 'error' && item.stack.length && !showingStored) fill(trace, stackTrace(item.stack));
  });
  actions.replaceChildren(h('h2', {}, 'Actions'), ...await controls, releaseResolution(detail));
  await shown;
}
