// The one table `npm run bench` prints: Markdown, so a run can be pasted into bench/RESULTS.md as is.
import type { Row } from './harness.ts';

export function formatTable(rows: Row[]): string {
  const header = ['figure', 'metric', 'value', 'baseline', 'ratio', 'goal', 'met', 'note'];
  const lines = rows.map((r) => [
    r.figure,
    r.metric,
    `${r.value}${r.unit ? ` ${r.unit}` : ''}`,
    r.baseline === undefined ? '' : `${r.baseline}${r.unit ? ` ${r.unit}` : ''}`,
    r.ratio === undefined ? '' : String(r.ratio),
    r.goal ?? '',
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
    r.note ?? '',
  ].map((cell) => cell.replaceAll('|', '\\|')));
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...lines.map((cells) => `| ${cells.join(' | ')} |`)].join('\n');
}
