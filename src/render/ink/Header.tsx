import { Box, Text } from 'ink';
import type { RunReport } from '../../trace/report.js';
import { escapeControlChars } from '../control-chars.js';
import { stepViewOrKind, notationKey, notationLegend } from '../step-view.js';
import { wrapWords } from '../text.js';
import { describeLinkLag } from '../lag-words.js';
import { TONE_COLOR, TONE_LEGEND } from './tone-style.js';
import { TERMINAL_CELLS } from './cells.js';

/** Scenario name, what was simulated, the colour legend and the notation key. */
export function Header({ report, width, compact = false, titleOnly = false }: { report: RunReport; width: number; compact?: boolean; titleOnly?: boolean }) {
  const name = escapeControlChars(report.scenario.name);
  const file = escapeControlChars(report.scenario.file);
  const lag = escapeControlChars(`lag ${report.lag.map(describeLinkLag).join(' · ')}`);
  const title = (
    <Text wrap="truncate-end">
      <Text bold color="whiteBright">
        ━━ {name}
      </Text>
      <Text dimColor>  {file}</Text>
    </Text>
  );
  // The stepper counts on a fixed header height: four lines (or, on a short terminal, the title
  // alone), no description, no colour legend.
  if (compact && titleOnly) return <Box width={width}>{title}</Box>;
  if (compact) {
    return (
      <Box flexDirection="column" width={width}>
        {title}
        <Text wrap="truncate-end">
          {`   ${report.mode.toUpperCase()} · seed ${report.seed} · strategy ${report.strategy} · idempotency ${report.idempotency} · backend ${report.backend}`}
        </Text>
        <Text wrap="truncate-end">{`   ${lag}`}</Text>
        <Text wrap="truncate-end" dimColor>{`   ${notationLegend(report.regions)}`}</Text>
      </Box>
    );
  }
  const used = new Set(report.trace.map((e) => stepViewOrKind(e).tone));
  return (
    <Box flexDirection="column" width={width}>
      {title}
      {report.scenario.description
        ? wrapWords(escapeControlChars(report.scenario.description), Math.max(20, width - 4), TERMINAL_CELLS).map((line, i) => (
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
      {wrapWords(lag, Math.max(20, width - 4), TERMINAL_CELLS).map((line, i) => (
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
      <Box paddingLeft={3} flexWrap="wrap" columnGap={2}>
        <Text dimColor>key:</Text>
        {notationKey(report.regions).map((entry) => (
          <Text key={entry} dimColor>
            {entry}
          </Text>
        ))}
      </Box>
    </Box>
  );
}
