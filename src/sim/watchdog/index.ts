export { OVERRUN_CHANNEL, startWatchdog, SyncLoopError, syncLoopMessage } from './watchdog.js';
export type { OverrunNotice, Watchdog, WatchdogOptions } from './watchdog.js';
