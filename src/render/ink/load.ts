/**
 * Starts loading the terminal view (ink, react and the components) and returns the module.
 * React picks its build from NODE_ENV on first import; unless the user chose one, take the
 * production build, which loads and renders several times faster than the development one.
 * The CLI calls this as soon as it knows the view is wanted, so loading overlaps the run.
 */
export function loadTerminalView(): Promise<typeof import('./render-pretty.js')> {
  process.env.NODE_ENV ??= 'production';
  const view = import('./render-pretty.js');
  // Awaited later by the caller; keep an early failure from being reported as unhandled meanwhile.
  view.catch(() => undefined);
  return view;
}
