// The overview's SLA card: the impact-service's SLA report as dials and a table of objectives.
import { card, fill, h, percent, state } from '../dom.js';
import { api, listOf, loadInto } from '../api.js';
import { gauge } from '../charts.js';

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

export function slaCard() {
  const section = card('sla', 'SLA');
  loadInto(section, () => api.get('/api/v1/sla'), (payload) => {
    if (payload && payload.errorRate) { fill(section, slaReport(payload)); return; }
    const rows = listOf(payload, 'workflows', 'items', 'slas', 'objectives');
    if (!rows.length) { fill(section, state('empty', 'No SLA objectives configured in the impact-service.')); return; }
    fill(section, h('div', { class: 'gauges' }, rows.map((s) => {
      const actual = Number(s.successRate ?? s.attainment ?? s.availability ?? s.actual ?? 0);
      const target = s.target ?? s.objective ?? s.slo;
      const norm = (v) => (v > 1 ? v / 100 : v);
      return h('figure', { class: 'gauge-box' }, gauge(norm(actual), target == null ? null : norm(Number(target))),
        h('figcaption', {}, h('strong', {}, s.workflow || s.name || '?'), h('br'), `${percent(norm(actual))}${target == null ? '' : ' / ' + percent(norm(Number(target)))}`));
    })));
  });
  return section;
}
