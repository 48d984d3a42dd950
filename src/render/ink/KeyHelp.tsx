import { Text } from 'ink';

/** The key bindings of the stepper, always on screen. */
export function KeyHelp({ playing, speed }: { playing: boolean; speed: number }) {
  return (
    <Text wrap="truncate-end">
      <Text inverse>{' space/→ '}</Text> next  <Text inverse>{' ← '}</Text> previous  <Text inverse>{' p '}</Text>{' '}
      {playing ? 'pause' : 'play'} ({speed} steps/s)  <Text inverse>{' q '}</Text> quit
      {playing ? <Text color="green">{'  ▶ playing'}</Text> : null}
    </Text>
  );
}
