// The overview's SLA card: the impact-service's SLA report as dials and a table of objectives.
import { slaReportLinks } from './slareport.js';
import { card, fill, h, percent } from '../dom.js';
import { api, loadInto } from '../api.js';
import { gauge } from '../charts.js';

/**
 * @typedef {'compliant'|'breached'|'no_data'} Verdict io.faultline.impact.model.SlaReport.Verdict
 */

/**
 * @typedef {object} SlaReport GET /api/v1/sla: io.faultline.impact.model.SlaReport (the fields the
 *   card reads; timeToResolve is shown through objectives)
 * @property {Verdict} verdict
 * @property {?string} reason
 * @property {RateCompliance} errorRate
 * @property {RateCompliance} criticalErrorRate
 * @property {{count: number, target: number, verdict: Verdict, reason: ?string}} revenueBlockingErrors SlaReport.CountCompliance
 * @property {AutoResolution} autoResolution
 * @property {ErrorBudget[]} errorBudgets
 * @property {Objective[]} objectives
 */

/**
 * @typedef {object} RateCompliance SlaReport.RateCompliance
 * @property {number} errors
 * @property {number} requests
 * @property {?number} rate null without traffic
 * @property {number} target
 * @property {Verdict} verdict
 * @property {?string} reason
 */

/**
 * @typedef {object} AutoResolution SlaReport.AutoResolution
 * @property {?number} rate null when nothing was actionable
 * @property {number} target
 * @property {Verdict} verdict
 * @property {?string} reason
 */

/**
 * @typedef {object} ErrorBudget SlaReport.ErrorBudget
 * @property {string} objective
 * @property {number} allowedErrors
 * @property {number} consumedErrors
 * @property {?number} remaining negative when overspent, null when nothing was allowed
 */

/**
 * @typedef {object} Objective SlaReport.Objective
 * @property {string} id
 * @property {string} name
 * @property {Verdict} verdict
 * @property {?string} reason
 * @property {?number} actual a fraction, or seconds for time to resolve
 * @property {number} target
 * @property {string} comparison <, <= or >
 * @property {{unit: string, allowed: number, consumed: number, remaining: ?number}} budget SlaReport.Budget
 */

/**
 * The impact-service's SLA report: rates are shown as "good fraction" so every gauge reads higher =
 * better. A null rate means there was nothing to measure; it shows as "—" with the reason, never
 * as 0 % or 100 %. Each dial takes its colour from the server's verdict on that objective (without
 * traffic, for one, compliance means no errors at all, which no value/target comparison can tell);
 * a `no_data` verdict is neither green nor red. Below the dials, every objective of the report
 * (`objectives`, newer impact-services) with its verdict, its error budget and, for `no data`, why.
 */
/** @param {SlaReport} report */
function slaReport(report) {
  const good = (rate) => (rate === null ? null : 1 - rate);
  // the server's verdict: no data is null, neither colour
  const okOf = (o) => (o.verdict === 'no_data' ? null : o.verdict === 'compliant');
  const rateDial = (name, r) => ({
    name,
    value: good(r.rate),
    target: good(r.target),
    ok: okOf(r),
    why: r.rate == null ? (r.errors > 0
      ? `No rate: ${r.errors} error(s) but no traffic reported in the window, and without traffic only zero errors complies. Post traffic samples (POST /api/v1/projects/{id}/traffic) to get a rate.`
      : 'No rate: no traffic reported in the window, and no errors either.') : null,
  });
  const auto = report.autoResolution;
  const dials = [
    rateDial('Error rate', report.errorRate),
    rateDial('Critical error rate', report.criticalErrorRate),
    {
      name: 'Auto-resolution',
      value: auto.rate,
      target: auto.target,
      ok: okOf(auto),
      why: auto.rate == null ? auto.reason : null,
    },
    // budgets are informative (no verdict from the server): one is in trouble once nothing is left
    ...report.errorBudgets.map((b) => ({
      name: `Budget left: ${b.objective.replaceAll('_', ' ')}`,
      value: b.remaining,
      target: null,
      ok: b.remaining != null && b.remaining > 0,
      why: b.remaining == null
        ? `No budget to spend: ${b.consumedErrors} error(s) but nothing allowed (no traffic reported in the budget window, or a zero target).`
        : b.remaining < 0 ? `Overspent: ${b.consumedErrors} errors against ${b.allowedErrors} allowed in the budget window.` : null,
    })),
  ];
  const verdict = report.verdict;
  const headline = { compliant: 'Within SLA', breached: 'SLA breached', no_data: 'No SLA data' }[verdict];
  const blocking = report.revenueBlockingErrors;
  return h('div', {},
    h('p', { class: verdict === 'compliant' ? 'ok' : verdict === 'breached' ? 'alert' : 'muted', id: 'sla-compliant' }, headline,
      h('span', { class: 'muted small' }, ` · revenue-blocking errors ${blocking.count} / ${blocking.target}`)),
    h('div', { class: 'gauges' }, dials.map((d) => h('figure', { class: 'gauge-box', title: d.why },
      gauge(d.value, d.target, { ok: d.ok }),
      h('figcaption', {}, h('strong', {}, d.name), h('br'), `${percent(d.value)}${d.target == null ? '' : ' / ' + percent(d.target)}`)))),
    slaObjectives(report.objectives));
}

const VERDICT_LABEL = { compliant: 'compliant', breached: 'breached', no_data: 'no data' };

/** Seconds for time to resolve, a count for revenue-blocking errors, a percentage for every share. */
function objectiveValue(/** @type {Objective} */ o, value) {
  if (value === null) return '—';
  if (o.id.startsWith('time_to_resolve')) return seconds(value);
  if (o.id === 'revenue_blocking_errors') return String(Math.round(value));
  return percent(value);
}

function seconds(s) {
  if (s < 120) return `${Number(s.toFixed(1))} s`;
  if (s < 7200) return `${Number((s / 60).toFixed(1))} min`;
  return `${Number((s / 3600).toFixed(1))} h`;
}

/** @param {Objective[]} objectives */
function slaObjectives(objectives) {
  return h('table', { class: 'objectives', id: 'sla-objectives' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Objective'), h('th', {}, 'Measured'), h('th', {}, 'Target'), h('th', {}, 'Verdict'), h('th', {}, 'Budget left'))),
    h('tbody', {}, objectives.map((o) => h('tr', { 'data-objective': o.id },
      h('td', {}, o.name),
      h('td', { class: 'num' }, objectiveValue(o, o.actual)),
      h('td', { class: 'num' }, `${o.comparison === '<=' ? '≤' : o.comparison} ${objectiveValue(o, o.target)}`),
      h('td', {}, h('span', { class: `verdict verdict-${o.verdict}` }, VERDICT_LABEL[o.verdict]),
        o.reason ? h('div', { class: 'muted small reason' }, o.reason) : ''),
      h('td', { class: 'num', title: `${o.budget.consumed} of ${o.budget.allowed} ${o.budget.unit} allowed` },
        percent(o.budget.remaining))))));
}

export function slaCard() {
  const section = card('sla', 'SLA');
  section.append(slaReportLinks()); // outside the card body, which each load replaces
  loadInto(section, () => api.get('/api/v1/sla'), (/** @type {SlaReport} */ report) => fill(section, slaReport(report)));
  return section;
}
