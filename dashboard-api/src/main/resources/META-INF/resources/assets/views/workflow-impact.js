// The overview's business impact card: requests, errors and revenue lost per workflow.
import { card, fill, h, money, percent, state } from '../dom.js';
import { api, listOf, loadInto } from '../api.js';

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

export function workflowImpactCard() {
  const section = card('workflow-impact', 'Business impact per workflow');
  loadInto(section, () => api.get('/api/v1/workflows/impact'), (payload) => {
    const rows = listOf(payload, 'workflows', 'items');
    if (!rows.length) { fill(section, state('empty', 'No workflow traffic recorded yet. Workflows come from the workflow tag on events and traffic samples.')); return; }
    const maxLoss = Math.max(1, ...rows.map((w) => Number(w.revenueLoss || 0)));
    fill(section, payload.revenueLoss != null ? h('p', { class: 'muted small' }, `${money(payload.revenueLoss)} revenue lost in the window · health ${healthScore(payload.healthScore)}`) : '', h('table', { class: 'impact' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Workflow'), h('th', {}, 'Requests'), h('th', {}, 'Errors'), h('th', {}, 'Error rate'), h('th', {}, 'Revenue lost'))),
      h('tbody', {}, rows.map((w) => h('tr', {},
        h('td', {}, w.workflow),
        h('td', { class: 'num' }, w.requests ?? '—'),
        h('td', { class: 'num' }, w.errors ?? '—'),
        errorRateCell(w),
        h('td', {}, h('div', { class: 'bar' }, h('span', { style: `width:${(100 * Number(w.revenueLoss || 0) / maxLoss).toFixed(0)}%` })), money(w.revenueLoss)))))));
  });
  return section;
}
