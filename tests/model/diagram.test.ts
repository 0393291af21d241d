// The picture in docs/call-machine.md is rendered from the machine definition: when the machine
// changes and the picture does not, this fails (fix: `npm run diagram`, commit the file).
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { DIAGRAM_FILE, renderDiagram } from '../../scripts/diagram.ts';
import { allTransitions, STATE_PATHS } from './call.model.ts';

it('docs/call-machine.md is what the machine renders today', () => {
  expect(readFileSync(DIAGRAM_FILE, 'utf8'), 'stale diagram: run `npm run diagram`').toBe(renderDiagram());
});

it('the picture names every state and lists every transition', () => {
  const text = renderDiagram();
  for (const path of STATE_PATHS) expect(text).toContain(`\`${path}\``);
  const rows = text.split('\n').filter((line) => line.startsWith('| `') && !line.includes('invokes'));
  expect(rows).toHaveLength(allTransitions().length);
});
