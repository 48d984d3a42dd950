export { installVirtualTime, type VirtualTimeHost, type VirtualTimeInstallation } from './install.js';
export { real } from './real.js';
export { VirtualTimers, VirtualTimeout, type TimerHost } from './timers.js';
export { seededRandomUUID } from './random.js';
