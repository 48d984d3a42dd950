// The flags of `geosim serve`, apart from their commander wiring (commands/serve.ts), so the command's
// action (serve-command.ts), which the wiring loads lazily, reads them without importing the wiring back.

export interface ServeFlags {
  regions?: string;
  lag?: string;
  port: number;
  timeScale?: number;
  seed?: number;
  trace?: string;
  maxTraceEvents?: number;
  maxFileSize?: number;
  indexLag?: number;
  ttlDelay?: number;
}
