// The page's failure modes, switched on from its address so a demo or a test can break it on
// purpose: ?break=summary (the summary meets a room without a price and throws while rendering),
// ?break=page (the whole page throws) and ?flaky=N (the availability call fails its first N
// attempts; 3 or more exhausts the retrying hook).
const params = new URLSearchParams(window.location.search);

const broken = new Set((params.get('break') ?? '').split(',').map((s) => s.trim()).filter(Boolean));

export function isBroken(part: 'summary' | 'page'): boolean {
  return broken.has(part);
}

export const flakyAttempts = Math.max(0, Number.parseInt(params.get('flaky') ?? '0', 10) || 0);
