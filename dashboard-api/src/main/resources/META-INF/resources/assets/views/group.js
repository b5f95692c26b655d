// The group page (#/group/{id}): the group, the operator's actions, its stored events (or the live
// feed's stack), tags, occurrences and resolution history.
import { api, listOf } from '../api.js';
import { card, fill, h, ago, state } from '../dom.js';
import { lineChart } from '../charts.js';
import { eventView, loadEvent } from '../event.js';
import { loadTags } from '../search.js';
import { live, listen } from '../live.js';
import { timelineItems } from './timeline.js';

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

export async function renderGroup(view, me, groupId) {
  const sample = live.samples.get(groupId);
  const header = h('section', { class: 'card', id: 'group-detail' }, h('p', { class: 'loading' }, 'Loading…'));
  const actions = h('section', { class: 'card', id: 'group-actions' });
  const trace = card('group-event', 'Event');
  const occurrences = card('group-occurrences', 'Occurrences');
  const history = card('group-history', 'Resolution history');
  const tags = card('group-tags', 'Tags');
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
  listen((item) => {
    if (item.groupId !== groupId) return;
    if (item.kind === 'resolution') drawHistory();
    if (item.kind === 'error' && item.stack && item.stack.length && !showingStored) fill(trace, stackTrace(item.stack));
  });
  await shown;
}
