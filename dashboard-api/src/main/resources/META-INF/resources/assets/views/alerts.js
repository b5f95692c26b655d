// The alert rules page (#/alerts): the rules, a form to add one, and a rule's history.
// Every text goes in as a text node (dom.js' h); the impact-service validates and names refused fields.
import { api } from '../api.js';
import { h, ago, card, field, state } from '../dom.js';

const TRIGGERS = [
  ['new_issue', 'a new issue'],
  ['regression', 'a regression'],
  ['event_count', 'more than N events in T'],
  ['slo_burn', 'an SLO burn'],
  ['sla_breach', 'an SLA breach (a group open past its time-to-resolve target)'],
];
const CHANNELS = [
  ['slack', 'Slack-compatible webhook'],
  ['pagerduty', 'PagerDuty (Events v2)'],
  ['webhook', 'signed webhook (HMAC-SHA256)'],
  ['email', 'e-mail'],
];
const FILTERS = ['project', 'environment', 'release', 'severity', 'category', 'impact', 'workflow', 'tag'];

function options(pairs) {
  return pairs.map(([value, text]) => h('option', { value }, text));
}

/**
 * @typedef {object} AlertRule GET /api/v1/alert-rules {items: AlertRule[]}: the impact-service's
 *   io.faultline.impact.alerts.AlertRule#toJson (secrets never leave: secretSet, routingKey ***)
 * @property {number} id
 * @property {string} name
 * @property {boolean} enabled
 * @property {{type: string, threshold?: number, windowSeconds?: number, per?: string}} when threshold,
 *   windowSeconds and per for event_count only
 * @property {Object<string, string[]>} filters
 * @property {{type: string, url?: string, to?: string[], secretSet?: boolean, routingKey?: string}} channel
 * @property {number} actionIntervalSeconds
 */

/**
 * @typedef {object} FiredAlert GET /api/v1/alert-rules/{id}/history {items: FiredAlert[]}: a row of
 *   the impact-service's AlertRuleStore history
 * @property {string} firedAt
 * @property {string} title
 * @property {string} status
 * @property {{attempt: number, outcome: string, detail: ?string}[]} tries
 */

/** @param {AlertRule} rule */
function describe(rule) {
  const w = rule.when;
  const when = w.type === 'event_count'
    ? `more than ${w.threshold} events in ${w.windowSeconds}s per ${w.per}`
    : (TRIGGERS.find(([t]) => t === w.type) || [w.type, w.type])[1];
  const filters = Object.entries(rule.filters).map(([k, v]) => `${k}=${[].concat(v).join('|')}`).join(', ');
  const ch = rule.channel;
  const to = ch.type === 'email' ? [].concat(ch.to || []).join(', ') : ch.url || '';
  return { when, filters: filters || 'everything', where: `${ch.type}${to ? ` → ${to}` : ''}` };
}

/** Renders the page into {@code view}; {@code canEdit} is whether the user is an operator or admin. */
export async function renderAlerts(view, canEdit) {
  const list = card('alert-rules', 'Alert rules', h('p', { class: 'loading' }, 'Loading…'));
  const history = card('alert-history', 'History', state('empty', 'Pick a rule to see the alerts it fired.'));
  view.replaceChildren(list, canEdit ? ruleForm(() => load()) : '', history);

  async function showHistory(rule) {
    const body = history.querySelector('.card-body');
    body.replaceChildren(h('p', { class: 'loading' }, 'Loading…'));
    try {
      const items = (await api.get(`/api/v1/alert-rules/${rule.id}/history`)).items;
      body.replaceChildren(h('p', { class: 'muted small' }, `Rule “${rule.name}”`), items.length
        ? h('table', { id: 'alert-history-list' }, h('tbody', {}, items.map((a) => h('tr', {},
          h('td', { class: 'muted' }, ago(a.firedAt)),
          h('td', {}, a.title),
          h('td', { class: `status status-${a.status}` }, a.status),
          h('td', { class: 'muted small' }, a.tries.map((t) => `#${t.attempt} ${t.outcome}${t.detail ? ` (${t.detail})` : ''}`).join('; '))))))
        : state('empty', 'This rule has not fired yet.'));
    } catch (e) {
      body.replaceChildren(state('error', e.message));
    }
  }

  async function load() {
    const body = list.querySelector('.card-body');
    try {
      const rules = (await api.get('/api/v1/alert-rules')).items;
      body.replaceChildren(rules.length
        ? h('table', { id: 'alert-rule-list' }, h('tbody', {}, rules.map((r) => {
          const d = describe(r);
          return h('tr', { 'data-rule': r.id },
            h('td', {}, r.name, r.enabled ? '' : h('span', { class: 'muted small' }, ' (off)')),
            h('td', { class: 'small' }, `when ${d.when}`),
            h('td', { class: 'muted small' }, d.filters),
            h('td', { class: 'small' }, d.where),
            h('td', {}, h('button', { class: 'link', onclick: () => showHistory(r) }, 'history'),
              // apart, or the two links read as one word ("historydelete") and invite a wrong click
              canEdit ? [' · ', h('button', {
                class: 'link',
                onclick: async () => {
                  if (!confirm(`Delete the rule “${r.name}” and its history?`)) return;
                  try {
                    await api.del(`/api/v1/alert-rules/${r.id}`);
                    load();
                  } catch (e) {
                    body.prepend(state('error', e.message));
                  }
                },
              }, 'delete')] : ''));
        })))
        : state('empty', canEdit ? 'No rules yet: add one below.' : 'No rules yet (operators add them).'));
    } catch (e) {
      body.replaceChildren(state('error', e.message));
    }
  }
  await load();
}

function ruleForm(saved) {
  const name = h('input', { name: 'name', required: true, maxlength: 200, placeholder: 'checkout pages on-call' });
  const trigger = h('select', { name: 'trigger' }, options(TRIGGERS));
  const threshold = h('input', { name: 'threshold', type: 'number', min: 1, value: 100 });
  const windowSeconds = h('input', { name: 'windowSeconds', type: 'number', min: 10, value: 300 });
  const per = h('select', { name: 'per' }, options([['group', 'per group'], ['workflow', 'per workflow'], ['project', 'per project']]));
  const counting = h('div', { class: 'row', hidden: true }, field('N', threshold), field('T (seconds)', windowSeconds), field('counted', per));
  trigger.addEventListener('change', () => { counting.hidden = trigger.value !== 'event_count'; });
  const filterInputs = FILTERS.map((f) => h('input', { name: `filter-${f}`, placeholder: f === 'tag' ? 'key=value, …' : 'any' }));
  const channel = h('select', { name: 'channel' }, options(CHANNELS));
  const target = h('input', { name: 'target', placeholder: 'https://hooks.example/…', size: 50 });
  const secret = h('input', { name: 'secret', type: 'password', placeholder: '16+ characters' });
  const secretField = field('Signing secret', secret);
  secretField.hidden = true;
  const interval = h('input', { name: 'actionIntervalSeconds', type: 'number', min: 0, value: 300 });
  channel.addEventListener('change', () => {
    secretField.hidden = channel.value !== 'webhook' && channel.value !== 'pagerduty';
    secretField.firstChild.textContent = channel.value === 'pagerduty' ? 'Routing key' : 'Signing secret';
    secret.placeholder = channel.value === 'pagerduty' ? '' : '16+ characters';
    target.placeholder = channel.value === 'email' ? 'oncall@example.com, …' : channel.value === 'pagerduty'
      ? 'Events API URL (blank: PagerDuty\'s)' : 'https://hooks.example/…';
  });
  const message = h('div', { class: 'form-message', role: 'status' });

  const form = h('form', {
    id: 'alert-rule-form',
    onsubmit: async (e) => {
      e.preventDefault();
      const list = (s) => s.split(',').map((v) => v.trim()).filter(Boolean);
      const filters = {};
      FILTERS.forEach((f, i) => {
        const values = list(filterInputs[i].value);
        if (values.length) filters[f] = values;
      });
      const ch = { type: channel.value };
      if (channel.value === 'email') ch.to = list(target.value);
      else if (target.value.trim()) ch.url = target.value.trim();
      if (channel.value === 'webhook') ch.secret = secret.value;
      if (channel.value === 'pagerduty') ch.routingKey = secret.value;
      const when = { type: trigger.value };
      if (trigger.value === 'event_count') {
        Object.assign(when, { threshold: Number(threshold.value), windowSeconds: Number(windowSeconds.value), per: per.value });
      }
      try {
        const rule = await api.post('/api/v1/alert-rules', {
          name: name.value, when, filters, channel: ch, actionIntervalSeconds: Number(interval.value),
        });
        message.replaceChildren(state('ok', `Saved rule “${rule.name}” (#${rule.id}).`));
        form.reset();
        counting.hidden = true;
        secretField.hidden = true;
        saved();
      } catch (err) {
        message.replaceChildren(state('error', `Not saved: ${err.message}`));
      }
    },
  },
  h('div', { class: 'row' }, field('Name', name), field('When', trigger)),
  counting,
  h('p', { class: 'muted small' }, 'Only for (comma-separated values; blank matches everything):'),
  h('div', { class: 'row filters' }, FILTERS.map((f, i) => field(f, filterInputs[i]))),
  h('div', { class: 'row' }, field('Send to', channel), field('Where', target), secretField),
  h('div', { class: 'row' }, field('No repeat for the same group within (seconds)', interval)),
  h('button', { type: 'submit' }, 'Add rule'),
  message);
  return card('alert-rule-new', 'New alert rule', form);
}
