export { startWatchdog, SyncLoopError, syncLoopMessage } from './watchdog.js';
export type { Watchdog, WatchdogOptions } from './watchdog.js';
