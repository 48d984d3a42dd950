import { Box, Text } from 'ink';
import type { ReactNode } from 'react';

/** The time column: right-aligned virtual ms, or a marker for the current step. */
export function TimeCell({ width, children, color, bold }: { width: number; children?: ReactNode; color?: string; bold?: boolean }) {
  return (
    <Box width={width} flexShrink={0} justifyContent="flex-end" paddingRight={1}>
      <Text wrap="truncate-start" {...(color ? { color } : {})} bold={bold ?? false}>
        {children}
      </Text>
    </Box>
  );
}
