import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type TerminalView = typeof import('./render-pretty.js');

/**
 * Starts loading the terminal view (ink, react and the components) and returns the module.
 * React picks its build from NODE_ENV on first import; unless the user chose one, take the
 * production build, which loads and renders several times faster than the development one.
 * The CLI calls this as soon as it knows the view is wanted, so loading overlaps the run.
 */
export function loadTerminalView(): Promise<TerminalView> {
  process.env.NODE_ENV ??= 'production';
  // The build bundles this view into one minified module (scripts/bundle-terminal-view.mjs), which
  // loads several times faster than ink and react unbundled; a plain tsc build has only the latter.
  const bundle = new URL('./terminal-view.bundle.mjs', import.meta.url);
  const view: Promise<TerminalView> = existsSync(fileURLToPath(bundle)) && process.env.NODE_ENV === 'production' ? import(bundle.href) : import('./render-pretty.js');
  // Awaited later by the caller; keep an early failure from being reported as unhandled meanwhile.
  view.catch(() => undefined);
  return view;
}
