import { Box, Text } from 'ink';
import type { ReactNode } from 'react';

/**
 * One cell of the lane grid: a separator and its content, cut to `width` with an ellipsis so a
 * long value never wraps and pushes the lanes out of line.
 */
export function LaneCell({ width, color, bold, dim, children }: { width: number; color?: string | undefined; bold?: boolean; dim?: boolean; children?: ReactNode }) {
  return (
    <Box width={width + 1} flexShrink={0}>
      <Text wrap="truncate-end">
        <Text color="gray">│</Text>{' '}
        <Text {...(color ? { color } : {})} bold={bold ?? false} dimColor={dim ?? false}>
          {children}
        </Text>
      </Text>
    </Box>
  );
}
