import { Box, Text } from 'ink';
import type { RunReport } from '../../trace/report.js';
import { describeStepOrKind } from '../describe.js';
import { wrapWords } from '../text.js';
import { TONE_COLOR, TONE_LEGEND } from './tone-style.js';

/** Scenario name, what was simulated, and the colour legend. */
export function Header({ report, width, compact = false }: { report: RunReport; width: number; compact?: boolean }) {
  // The stepper counts on a fixed header height: three lines, no description, no legend.
  if (compact) {
    return (
      <Box flexDirection="column" width={width}>
        <Text wrap="truncate-end">
          <Text bold color="whiteBright">
            ━━ {report.scenario.name}
          </Text>
          <Text dimColor>  {report.scenario.file}</Text>
        </Text>
        <Text wrap="truncate-end">
          {`   ${report.mode.toUpperCase()} · seed ${report.seed} · strategy ${report.strategy} · idempotency ${report.idempotency} · backend ${report.backend}`}
        </Text>
        <Text wrap="truncate-end">{`   lag ${report.lag.join(' · ')}`}</Text>
      </Box>
    );
  }
  const used = new Set(report.trace.map((e) => describeStepOrKind(e).tone));
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end">
        <Text bold color="whiteBright">
          ━━ {report.scenario.name}
        </Text>
        <Text dimColor>  {report.scenario.file}</Text>
      </Text>
      {report.scenario.description
        ? wrapWords(report.scenario.description, Math.max(20, width - 4)).map((line, i) => (
            <Box key={i} paddingLeft={3}>
              <Text dimColor>{line}</Text>
            </Box>
          ))
        : null}
      <Box paddingLeft={3}>
        <Text>
          <Text bold>{report.mode.toUpperCase()}</Text>
          {' · regions '}
          <Text bold>{report.regions.join(', ')}</Text>
          {' · seed '}
          <Text bold>{report.seed}</Text>
          {' · strategy '}
          <Text bold>{report.strategy}</Text>
          {' · idempotency '}
          <Text bold>{report.idempotency}</Text>
          {' · backend '}
          {report.backend}
        </Text>
      </Box>
      {wrapWords(`lag ${report.lag.join(' · ')}`, Math.max(20, width - 4)).map((line, i) => (
        <Box key={`lag-${i}`} paddingLeft={3}>
          <Text>{line}</Text>
        </Box>
      ))}
      {used.size > 0 ? (
        <Box paddingLeft={3} flexWrap="wrap" columnGap={2}>
          {TONE_LEGEND.filter(([tone]) => used.has(tone)).map(([tone, name]) => (
            <Text key={tone} color={TONE_COLOR[tone]}>
              ■ {name}
            </Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}
