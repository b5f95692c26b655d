// One stored event, whole, on the group page: exception chain with frames, React's component
// stack, message, tags, request, user, SDK, contexts, breadcrumbs and the raw JSON. Everything in
// an event is text an attacker may have chosen (any client with a DSN can send one): it goes into the page through
// h() as text nodes only, never as HTML.
import { api } from './api.js';
import { h, ago } from './dom.js';

/**
 * @typedef {object} EventDetail GET /api/v1/events/{id} and /api/v1/groups/{id}/events/{pick}:
 *   io.faultline.impact.model.EventDetail. {@code event} is the stored event, every field of
 *   schemas' ErrorEvent.avsc (frames as camelCase: absPath, contextLine, inApp); the view reads
 *   only those, preferring one over another where an SDK fills either (module or filename).
 * @property {string} eventId
 * @property {string} groupId
 * @property {string} projectId
 * @property {string} occurredAt ISO-8601 instant
 * @property {string} title
 * @property {?string} culprit
 * @property {{severity: string, category: string, businessImpact: string, workflow: ?string}} classification
 * @property {?string} olderEventId null for the group's oldest
 * @property {?string} newerEventId null for the group's newest
 * @property {object} event
 */

/** The event API paths: a group's latest, oldest or recommended event, or one event by id. */
export function eventPath(groupId, pick) {
  return `/api/v1/groups/${encodeURIComponent(groupId)}/events/${pick}`;
}

export function eventByIdPath(eventId) {
  return `/api/v1/events/${encodeURIComponent(eventId)}`;
}

function frameLabel(f) {
  const line = f.lineno != null ? `:${f.lineno}${f.colno != null ? ':' + f.colno : ''}` : '';
  // a file without a module (JavaScript, Python) reads as the browsers print it: function (file:line:col)
  if (!f.module && (f.absPath || f.filename)) {
    const file = /^https?:/.test(f.absPath || '') ? f.absPath : (f.filename || f.absPath);
    return `at ${f.function || '<anonymous>'} (${file}${line})`;
  }
  const where = f.module || '?';
  return `at ${where}${f.function ? '.' + f.function : ''}${line}`;
}

/**
 * The frame's source: its line alone, or with the lines around it (a frame a source map resolved
 * carries preContext and postContext from the map's sourcesContent), the frame's line marked.
 */
function sourceLines(f) {
  if (f.contextLine == null || f.contextLine === '') return '';
  const pre = Array.isArray(f.preContext) ? f.preContext : [];
  const post = Array.isArray(f.postContext) ? f.postContext : [];
  if (!pre.length && !post.length) {
    return h('pre', { class: 'context-line' }, `${f.lineno != null ? f.lineno + '  ' : ''}${f.contextLine}`);
  }
  const first = f.lineno != null ? f.lineno - pre.length : null;
  const line = (text, i, cls) => h('span', { class: cls }, `${first != null ? first + i + '  ' : ''}${text}\n`);
  return h('pre', { class: 'context-line source' },
    ...pre.map((t, i) => line(t, i, 'around')),
    line(f.contextLine, pre.length, 'here'),
    ...post.map((t, i) => line(t, pre.length + 1 + i, 'around')));
}

function frameRow(f) {
  const inApp = f.inApp === true;
  const minified = f.minified && typeof f.minified === 'object' ? f.minified : null;
  return h('li', { class: inApp ? 'frame in-app' : 'frame system' },
    h('div', { class: 'frame-head' },
      h('code', {}, frameLabel(f)),
      inApp ? h('span', { class: 'badge' }, 'in app') : '',
      minified ? h('span', { class: 'badge source-mapped', title: `source map ${f.sourcemap || ''}` }, 'source map') : '',
      f.filename && f.module ? h('span', { class: 'muted small' }, ` ${f.filename}`) : ''),
    sourceLines(f),
    // the frame as the browser reported it, before the source map: for checking a map's upload
    minified ? h('details', { class: 'minified-frame' }, h('summary', { class: 'muted small' }, 'minified'),
      h('code', { class: 'small' }, frameLabel(minified))) : '');
}

/**
 * Frames as the SDKs record them are caller first; shown crashing frame first, as an SRE reads a
 * trace. The application's own frames stay in view; each run of other frames folds behind a
 * toggle. With no frame marked in-app (an SDK that does not say), every frame stays in view.
 */
function frameList(frames) {
  const ordered = frames.slice().reverse();
  const anyInApp = ordered.some((f) => f.inApp === true);
  const items = [];
  let run = [];
  const flush = () => {
    if (!run.length) return;
    items.push(h('li', { class: 'frame-run' },
      h('details', {}, h('summary', {}, `${run.length} system frame${run.length === 1 ? '' : 's'}`),
        h('ol', { class: 'frames' }, run.map(frameRow)))));
    run = [];
  };
  for (const f of ordered) {
    if (anyInApp && f.inApp !== true) {
      run.push(f);
    } else {
      flush();
      items.push(frameRow(f));
    }
  }
  flush();
  return h('ol', { class: 'frames' }, items);
}

/** The chain outermost first, each earlier exception the cause of the one above it. */
function exceptionChain(exceptions) {
  if (!exceptions || !exceptions.length) return '';
  const outermostFirst = exceptions.slice().reverse();
  return h('div', { id: 'stack-trace', class: 'exceptions' }, outermostFirst.map((ex, i) => h('div', { class: 'exception' },
    h('h3', {}, i > 0 ? h('span', { class: 'muted' }, 'Caused by ') : '',
      h('span', { class: 'exception-type' }, ex.type || 'Error'),
      ex.mechanism && ex.mechanism.handled === false ? h('span', { class: 'badge badge-alert' }, 'unhandled') : ''),
    ex.value ? h('p', { class: 'exception-value' }, ex.value) : '',
    ex.frames && ex.frames.length ? frameList(ex.frames) : h('p', { class: 'muted small' }, 'No frames sent.'))));
}

/**
 * React's component stack (contexts.react.componentStack: older @sentry/react error boundaries set
 * it, version 11 sends it as a linked exception only, and examples/booking-web's boundaries add it
 * again): the component that threw, innermost first, and the components around it. As text, a
 * component a line; in the contexts table it would be one JSON line of escaped newlines.
 */
function componentStack(contexts) {
  const react = contexts && contexts.react;
  const stack = react && typeof react.componentStack === 'string' ? react.componentStack.trim() : '';
  if (!stack) return '';
  return section('Component stack', h('pre', { class: 'code', id: 'event-component-stack' },
    stack.split('\n').map((line) => line.trim()).filter(Boolean).join('\n')));
}

function keyValues(id, entries) {
  const rows = entries.filter(([, v]) => v !== null && v !== undefined && v !== '');
  if (!rows.length) return '';
  return h('table', { class: 'kv', id }, h('tbody', {}, rows.map(([k, v]) => h('tr', {},
    h('th', {}, k), h('td', {}, typeof v === 'object' ? JSON.stringify(v) : String(v))))));
}

function section(title, ...content) {
  const body = content.filter((c) => c !== '' && c !== null && c !== undefined);
  return body.length ? h('div', { class: 'event-section' }, h('h3', {}, title), ...body) : '';
}

function message(e) {
  const log = e.logentry;
  const text = e.message || (log && (log.formatted || log.message));
  if (!text) return '';
  return section('Message', h('pre', { class: 'code message', id: 'event-message' }, text),
    log && log.message && log.message !== text ? h('p', { class: 'muted small' }, 'template: ', h('code', {}, log.message)) : '',
    log && log.params && log.params.length ? h('p', { class: 'muted small' }, 'parameters: ', log.params.map((p, i) => [i ? ', ' : '', h('code', {}, p)])) : '');
}

function request(r) {
  if (!r) return '';
  return section('Request',
    h('p', { id: 'event-request' }, h('code', {}, [r.method, r.url].filter(Boolean).join(' '))),
    keyValues('event-request-query', [['query', r.queryString], ['body', r.data]]),
    keyValues('event-request-headers', Object.entries(r.headers || {})));
}

function user(u) {
  if (!u) return '';
  return section('User', keyValues('event-user', [
    ['id (hashed)', u.id], ['email', u.email], ['username', u.username], ['ip address', u.ipAddress],
    ['segment', u.segment], ...Object.entries(u.data || {})]));
}

/**
 * A breadcrumb's time of day; as sent when the browser cannot read it (a year past 9999 or before
 * 0, as an SDK that sends milliseconds for seconds produces): toISOString() threw on it, and the
 * whole event view with it.
 */
function crumbTime(at) {
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? String(at) : d.toISOString().slice(11, 23);
}

/**
 * What a crumb's data says, as one line of text: an http crumb's request as "METHOD url → status",
 * a navigation as "from → to", then the other keys as key=value. SDKs put the whole content of
 * these crumbs in their data, often with no message at all.
 */
function crumbData(data) {
  const rest = { ...(data || {}) };
  const take = (key) => { const v = rest[key]; delete rest[key]; return v; };
  const parts = [];
  if (rest.url !== undefined) {
    const method = take('method');
    const url = take('url');
    const status = take('status_code');
    parts.push([method, url].filter(Boolean).join(' ') + (status !== undefined ? ` → ${status}` : ''));
  } else if (rest.from !== undefined && rest.to !== undefined) {
    parts.push(`${take('from')} → ${take('to')}`);
  }
  for (const [key, value] of Object.entries(rest)) parts.push(`${key}=${value}`);
  return parts.join(' ');
}

function breadcrumbs(list) {
  if (!list || !list.length) return '';
  return section('Breadcrumbs', h('ol', { class: 'breadcrumbs', id: 'event-breadcrumbs' }, list.map((b) => {
    const data = crumbData(b.data);
    return h('li', {},
      h('span', { class: 'muted small' }, b.timestamp ? crumbTime(b.timestamp) + ' ' : ''),
      h('span', { class: 'badge' }, [b.category || b.type || 'default', b.level && b.level !== 'info' ? ` ${b.level}` : ''].join('')),
      ' ', b.message || '',
      data ? h('span', { class: 'crumb-data' }, b.message ? ' · ' + data : data) : '');
  })));
}

/** The event whole, with the bar that walks the group's events. @param {EventDetail} detail */
export function eventView(detail, navigate) {
  const e = detail.event;
  const nav = (label, id, target) => h('button', {
    id, class: 'link', disabled: !target, onclick: () => target && navigate(target),
  }, label);
  const sdk = e.sdk ? `${e.sdk.name}${e.sdk.version ? ' ' + e.sdk.version : ''}` : null;
  return h('div', { id: 'group-event-body' },
    h('div', { class: 'event-nav' },
      nav('« Oldest', 'event-oldest', { pick: 'oldest' }),
      nav('‹ Older', 'event-older', detail.olderEventId && { id: detail.olderEventId }),
      nav('Newer ›', 'event-newer', detail.newerEventId && { id: detail.newerEventId }),
      nav('Latest »', 'event-latest', { pick: 'latest' }),
      nav('Recommended', 'event-recommended', { pick: 'recommended' }),
      h('span', { class: 'muted small' }, 'event ', h('code', { id: 'event-id' }, detail.eventId), ` · ${ago(detail.occurredAt)} · `,
        detail.occurredAt || '')),
    keyValues('event-facts', [['level', e.level], ['release', e.release], ['environment', e.environment],
      ['SDK', sdk], ['platform', e.platform], ['server', e.serverName], ['transaction', e.transaction]]),
    exceptionChain(e.exceptions),
    componentStack(e.contexts),
    message(e),
    section('Tags', keyValues('event-tags', Object.entries(e.tags || {}))),
    request(e.request),
    user(e.user),
    section('Contexts', keyValues('event-contexts', Object.entries(e.contexts || {}))),
    breadcrumbs(e.breadcrumbs),
    section('Extra', keyValues('event-extra', Object.entries(e.extra || {}))),
    h('details', { class: 'raw' }, h('summary', {}, 'Raw JSON'),
      h('pre', { class: 'code', id: 'event-raw' }, JSON.stringify(detail, null, 2))));
}

/** The target event ({pick} of the group, or {id}); an ApiError, 404 when there is none stored. */
export async function loadEvent(groupId, target) {
  return api.get(target.id ? eventByIdPath(target.id) : eventPath(groupId, target.pick));
}
