import { Box, Text } from 'ink';
import { isIdempotencyRecordId } from '../../app/item.js';
import { formatItem } from '../format-item.js';
import type { RunReport } from '../../trace/report.js';

/**
 * The items every region holds at the end, side by side, one row per item; a row where the
 * regions disagree is marked and coloured, because divergence is what a reviewer looks for.
 */
export function FinalItems({ report, width }: { report: RunReport; width: number }) {
  const ids = new Set<string>();
  for (const items of Object.values(report.final)) for (const id of Object.keys(items)) if (!isIdempotencyRecordId(id)) ids.add(id);
  const rows = [...ids].sort().map((id) => {
    const shown = report.regions.map((r) => formatItem(report.final[r]?.[id]));
    return { id, shown, diverged: shown.some((s) => s !== shown[0]) };
  });
  const idWidth = Math.min(28, Math.max(22, ...rows.map((r) => r.id.length + 4)));
  const regionWidth = Math.max(8, Math.floor((width - idWidth - 2) / report.regions.length) - 1);
  const records = report.regions.map((r) => Object.keys(report.final[r] ?? {}).filter(isIdempotencyRecordId).length);
  const diverged = rows.filter((r) => r.diverged).length;
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold wrap="truncate-end">
        {'final items  '}
        {diverged > 0 ? <Text color="red" bold>{`${diverged} diverged`}</Text> : <Text color="green">all regions agree</Text>}
        <Text dimColor>{`  after replication drained at ${report.endedAt}ms`}</Text>
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
          <Box width={idWidth} flexShrink={0}>
            <Text wrap="truncate-end" color={row.diverged ? 'red' : 'green'} bold={row.diverged}>
              {row.diverged ? '≠ ' : '= '}
              {row.id}
            </Text>
          </Box>
          {row.shown.map((s, i) => (
            <Cell key={report.regions[i]} width={regionWidth}>
              <Text {...(row.diverged ? { color: 'red' } : {})}>{s}</Text>
            </Cell>
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
