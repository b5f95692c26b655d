// The SLA card's report link: a period of whole days (UTC; the last 30 by default) and the SLA
// report of it (GET /api/v1/sla/report, docs/impact-model.md "SLA report") as a printable page or
// a CSV a manager keeps. Both "from" and "to" days are included: the API's end is exclusive, so it
// gets the day after "to".
import { field, h } from '../dom.js';

const DAY_MS = 86_400_000;

function day(date) {
  return date.toISOString().slice(0, 10);
}

export function slaReportLinks() {
  const today = new Date();
  const from = h('input', { type: 'date', id: 'sla-report-from', 'aria-describedby': 'sla-report-problem', value: day(new Date(today.getTime() - 29 * DAY_MS)) });
  const to = h('input', { type: 'date', id: 'sla-report-to', 'aria-describedby': 'sla-report-problem', value: day(today) });
  const page = h('a', { id: 'sla-report-html', target: '_blank', rel: 'noopener' }, 'Report');
  const csv = h('a', { id: 'sla-report-csv', download: '' }, 'CSV');
  // described by, not announced: the overview's only live regions are the feed and its status
  const problem = h('span', { class: 'muted small', id: 'sla-report-problem' });
  const update = () => {
    const first = Date.parse(`${from.value}T00:00:00Z`);
    const last = Date.parse(`${to.value}T00:00:00Z`);
    const ok = !Number.isNaN(first) && !Number.isNaN(last) && first <= last && last - first < 366 * DAY_MS;
    problem.textContent = ok ? '' : ' Choose a first day on or before the last, a period of at most 366 days, both included.';
    for (const [link, format] of [[page, 'html'], [csv, 'csv']]) {
      if (ok) {
        const query = new URLSearchParams({ from: new Date(first).toISOString(), to: new Date(last + DAY_MS).toISOString(), format });
        link.setAttribute('href', `/api/v1/sla/report?${query}`);
        link.removeAttribute('aria-disabled');
      } else {
        link.removeAttribute('href');
        link.setAttribute('aria-disabled', 'true');
      }
    }
  };
  from.addEventListener('change', update);
  to.addEventListener('change', update);
  update();
  return h('form', { class: 'sla-report muted small', id: 'sla-report', onsubmit: (e) => e.preventDefault() },
    page, ' · ', csv, ' ', field('from (UTC)', from), ' ', field('to, included', to), problem);
}
