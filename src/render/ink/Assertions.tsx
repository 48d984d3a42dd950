import { Box, Text } from 'ink';
import type { RunReport } from '../../trace/report.js';
import { assertionLabel } from '../assertion-label.js';
import { escapeControlChars } from '../control-chars.js';
import { formatTime } from '../format-time.js';
import { showActual, showValue, verdictLine } from '../text.js';

/**
 * Every assertion with expected and actual: a pass takes one line, a failure spells out both
 * values on their own lines so the difference is readable. Ends with the scenario's verdict.
 */
export function Assertions({ report, width }: { report: RunReport; width: number }) {
  const failed = report.assertions.filter((a) => !a.passed).length;
  const total = report.assertions.length;
  return (
    <Box flexDirection="column" marginTop={1} width={width}>
      <Text bold>assertions</Text>
      {total === 0 ? <Text dimColor>  none</Text> : null}
      {report.assertions.map((a, i) => {
        const when = a.at !== undefined ? ` at ${formatTime(a.at)}` : '';
        const name = escapeControlChars(assertionLabel(a));
        const detail = a.detail ? escapeControlChars(a.detail) : undefined;
        if (a.passed) {
          return (
            <Text key={i} wrap="truncate-end">
              <Text color="green">  ✓ </Text>
              {name}
              <Text dimColor>{when}</Text>
              <Text dimColor>{`: expected ${showValue(a.expected)}, got ${showActual(a, false)}${detail ? ` (${detail})` : ''}`}</Text>
            </Text>
          );
        }
        return (
          <Box key={i} flexDirection="column">
            <Text color="red" bold>
              {'  ✗ '}
              {name}
              {when}
            </Text>
            <Box paddingLeft={6}>
              <Text>
                <Text dimColor>expected </Text>
                <Text color="green">{showValue(a.expected)}</Text>
              </Text>
            </Box>
            <Box paddingLeft={6}>
              <Text>
                <Text dimColor>actual   </Text>
                <Text color="red">{showValue(a.actual, true)}</Text>
              </Text>
            </Box>
            {detail ? (
              <Box paddingLeft={6}>
                <Text dimColor>{detail}</Text>
              </Box>
            ) : null}
          </Box>
        );
      })}
      <Box marginTop={1}>
        <Text bold color={failed === 0 ? 'green' : 'red'}>
          {escapeControlChars(report.scenario.name)}: {verdictLine(report)}
        </Text>
      </Box>
    </Box>
  );
}
