// The overview's business impact card: requests, errors and revenue lost per workflow.
import { card, fill, h, money, percent, state } from '../dom.js';
import { api, loadInto } from '../api.js';

/**
 * @typedef {object} ImpactReport GET /api/v1/workflows/impact: io.faultline.impact.model.ImpactReport
 * @property {string} from
 * @property {string} to
 * @property {number} windowMinutes
 * @property {number} errorRateTarget
 * @property {number} healthScore 0..100
 * @property {number} revenueLoss dollars
 * @property {number} revenueBlockingErrors
 * @property {WorkflowImpact[]} workflows
 */

/**
 * @typedef {object} WorkflowImpact one row: io.faultline.impact.model.WorkflowImpact
 * @property {string} workflow
 * @property {boolean} configured
 * @property {number} weight
 * @property {number} revenuePerHour
 * @property {number} requests
 * @property {number} errors
 * @property {number} criticalErrors
 * @property {number} revenueBlockingErrors
 * @property {?number} errorRate null without traffic (noTraffic)
 * @property {?number} successRate null without traffic
 * @property {boolean} noTraffic
 * @property {number} degradedMinutes
 * @property {number} revenueLoss dollars
 * @property {number} health
 */

/**
 * A workflow's error rate. Errors without any request count have no rate: 0 % would read as
 * healthy, so the cell says there is no traffic and how to get a rate.
 */
function errorRateCell(/** @type {WorkflowImpact} */ w) {
  if (w.noTraffic && w.errors > 0) {
    return h('td', { class: 'num muted', title: 'Errors but no request count: post traffic samples (POST /api/v1/projects/{id}/traffic) to get a rate' }, 'no traffic');
  }
  return h('td', { class: 'num' }, percent(w.errorRate));
}

/** The impact-service's health score is on a 0..100 scale (docs/impact-model.md), not a fraction. */
function healthScore(score) {
  return `${score.toLocaleString(undefined, { maximumFractionDigits: 2 })}/100`;
}

export function workflowImpactCard() {
  const section = card('workflow-impact', 'Business impact per workflow');
  loadInto(section, () => api.get('/api/v1/workflows/impact'), (/** @type {ImpactReport} */ report) => {
    const rows = report.workflows;
    if (!rows.length) { fill(section, state('empty', 'No workflow traffic recorded yet. Workflows come from the workflow tag on events and traffic samples.')); return; }
    const maxLoss = Math.max(1, ...rows.map((w) => w.revenueLoss));
    fill(section, h('p', { class: 'muted small' }, `${money(report.revenueLoss)} revenue lost in the window · health ${healthScore(report.healthScore)}`), h('table', { class: 'impact' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Workflow'), h('th', {}, 'Requests'), h('th', {}, 'Errors'), h('th', {}, 'Error rate'), h('th', {}, 'Revenue lost'))),
      h('tbody', {}, rows.map((w) => h('tr', {},
        h('td', {}, w.workflow),
        h('td', { class: 'num' }, w.requests),
        h('td', { class: 'num' }, w.errors),
        errorRateCell(w),
        // the bar only draws the figure beside it: assistive technology reads the figure
        h('td', {}, h('div', { class: 'bar', 'aria-hidden': 'true' }, h('span', { style: `width:${(100 * w.revenueLoss / maxLoss).toFixed(0)}%` })), money(w.revenueLoss)))))));
  });
  return section;
}
