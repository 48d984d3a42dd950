import { Box, Text } from 'ink';
import { escapeControlChars } from '../control-chars.js';
import { formatItem } from '../format-item.js';
import { finalItemsWhen } from '../format-time.js';
import { wrapWords } from '../text.js';
import { cellWidth, TERMINAL_CELLS } from './cells.js';
import { recordTest, type RunReport } from '../../trace/report.js';

/**
 * The items every region holds at the end, side by side, one row per item; a row where the
 * regions disagree is marked and coloured, because divergence is what a reviewer looks for.
 */
export function FinalItems({ report, width }: { report: RunReport; width: number }) {
  const ids = new Set<string>();
  const isRecord = recordTest(report);
  for (const items of Object.values(report.final)) for (const id of Object.keys(items)) if (!isRecord(id)) ids.add(id);
  const rows = [...ids].sort().map((id) => {
    const shown = report.regions.map((r) => formatItem(report.final[r]?.[id]));
    return { id: escapeControlChars(id), shown, diverged: shown.some((s) => s !== shown[0]) };
  });
  const idWidth = Math.min(28, rows.reduce((n, r) => Math.max(n, cellWidth(r.id) + 4), 22));
  const regionWidth = Math.max(8, Math.floor((width - idWidth - 2) / report.regions.length) - 1);
  const records = report.regions.map((r) => Object.keys(report.final[r] ?? {}).filter(isRecord).length);
  const diverged = rows.filter((r) => r.diverged).length;
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold wrap="truncate-end">
        {'final items  '}
        {diverged > 0 ? <Text color="red" bold>{`${diverged} diverged`}</Text> : <Text color="green">all regions agree</Text>}
        <Text dimColor>{`  ${finalItemsWhen(report)}`}</Text>
      </Text>
      <Box>
        <Box width={idWidth} flexShrink={0} paddingLeft={2}>
          <Text dimColor wrap="truncate-end">item</Text>
        </Box>
        {report.regions.map((r) => (
          <Cell key={r} width={regionWidth}>
            <Text bold>{r}</Text>
          </Cell>
        ))}
      </Box>
      {rows.map((row) => (
        <Box key={row.id}>
          <Box width={idWidth} flexShrink={0} flexDirection="column">
            {/* the id wraps under its mark: two ids that differ only at the end stay told apart */}
            {wrapWords(row.id, Math.max(1, idWidth - 3), TERMINAL_CELLS).map((line, i) => (
              <Text key={i} wrap="truncate-end" color={row.diverged ? 'red' : 'green'} bold={row.diverged}>
                {i === 0 ? (row.diverged ? '≠ ' : '= ') : '  '}
                {line}
              </Text>
            ))}
          </Box>
          {row.shown.map((s, i) => (
            <WrappedCell key={report.regions[i]} width={regionWidth} text={s} color={row.diverged ? 'red' : undefined} />
          ))}
        </Box>
      ))}
      <Box>
        <Box width={idWidth} flexShrink={0} paddingLeft={2}>
          <Text dimColor wrap="truncate-end">idempotency records</Text>
        </Box>
        {records.map((n, i) => (
          <Cell key={report.regions[i]} width={regionWidth}>
            <Text dimColor>{String(n)}</Text>
          </Cell>
        ))}
      </Box>
    </Box>
  );
}

function Cell({ width, children }: { width: number; children: React.ReactNode }) {
  return (
    <Box width={width + 1} flexShrink={0} paddingRight={1}>
      <Text wrap="truncate-end">
        <Text color="gray">│</Text> {children}
      </Text>
    </Box>
  );
}

/** A cell whose value wraps at spaces instead of being cut: a final item is shown whole. */
function WrappedCell({ width, text, color }: { width: number; text: string; color?: string | undefined }) {
  return (
    <Box width={width + 1} flexShrink={0} flexDirection="column" paddingLeft={1} paddingRight={1} borderStyle="single" borderColor="gray" borderTop={false} borderRight={false} borderBottom={false}>
      {wrapWords(text, Math.max(1, width - 2), TERMINAL_CELLS).map((line, i) => (
        <Text key={i} wrap="truncate-end" {...(color ? { color } : {})}>
          {line}
        </Text>
      ))}
    </Box>
  );
}
