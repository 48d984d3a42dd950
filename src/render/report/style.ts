/**
 * The report's styles: light and readable on screen and on paper. Class names start with `rp-`
 * (the space-time drawing brings its own `st-` styles in its SVG).
 */
export const REPORT_CSS = `
:root { --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --bg: #fff; --panel: #f6f8fa; --pass: #1a7f37; --fail: #b42318; --accent: #0969da; --changed: #fff4c2; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
code, pre, .rp-mono, .rp-id, .rp-value, .rp-items, .rp-flights li, td.rp-json { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h4 { margin: 0 0 6px; font-size: 14px; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.rp-verdict { display: inline-block; font-size: 22px; font-weight: 700; padding: 6px 14px; border-radius: 6px; margin: 8px 0 12px; border: 2px solid; }
.rp-verdict.rp-pass { color: var(--pass); background: #e6f4ea; }
.rp-verdict.rp-fail { color: var(--fail); background: #fdecea; }
.rp-stopped { color: var(--fail); font-weight: 600; margin: 0 0 8px; }
.rp-description { color: var(--muted); margin: 0 0 8px; max-width: 90ch; }
dl.rp-facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
dl.rp-facts dt { color: var(--muted); }
dl.rp-facts dd { margin: 0; }
table { border-collapse: collapse; }
table.rp-table th, table.rp-table td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
table.rp-table th { background: var(--panel); }
tr.rp-failed td:first-child { color: var(--fail); font-weight: 700; }
tr.rp-passed td:first-child { color: var(--pass); }
td.rp-json { white-space: pre-wrap; word-break: break-word; min-width: 16ch; max-width: 48ch; }
#rp-assertions td:nth-child(2) { min-width: 20ch; }
.rp-spacetime { max-height: 70vh; overflow: auto; border: 1px solid var(--line); background: #fff; }
.rp-spacetime svg .rp-cursor { stroke: var(--accent); stroke-width: 2; stroke-dasharray: 6 3; pointer-events: none; }
.rp-spacetime svg .st-tick, .rp-spacetime svg .st-label { paint-order: stroke; stroke: #fff; stroke-width: 4px; stroke-linejoin: round; }
.rp-spacetime svg [data-seq] { cursor: pointer; }
.rp-spacetime svg .rp-current { filter: drop-shadow(0 0 3px #0969da); }
.rp-spacetime svg .rp-current circle, .rp-spacetime svg .rp-current rect, .rp-spacetime svg .rp-current line, .rp-spacetime svg .rp-current path { stroke: #0969da; stroke-width: 3; }
.rp-note { color: var(--muted); font-size: 13px; }
.rp-controls { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; position: sticky; top: 0; background: var(--bg); padding: 8px 0; z-index: 1; border-bottom: 1px solid var(--line); }
.rp-controls input[type=range] { flex: 1 1 320px; min-width: 200px; }
.rp-controls button { font: inherit; padding: 4px 12px; border: 1px solid var(--line); border-radius: 6px; background: var(--panel); cursor: pointer; }
.rp-controls button:hover { background: #eaeef2; }
#rp-step-no { font-weight: 600; min-width: 14ch; }
.rp-step { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; margin: 8px 0; }
.rp-step-head { display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; }
#rp-step-time { font-family: ui-monospace, monospace; color: var(--muted); }
.rp-label { font-weight: 700; font-family: ui-monospace, monospace; padding: 0 6px; border-radius: 4px; background: #eaeef2; }
.rp-tone-write, .rp-tone-applied { background: #dbeafe; }
.rp-tone-discarded, .rp-tone-check-fail, .rp-tone-condition { background: #fdecea; color: var(--fail); }
.rp-tone-fault, .rp-tone-dead-letter, .rp-tone-retry { background: #fff1d6; }
.rp-tone-check-pass, .rp-tone-outcome { background: #e6f4ea; }
#rp-step-text { margin: 4px 0; }
#rp-step-change { font-family: ui-monospace, monospace; font-size: 13px; }
.rp-before { color: var(--muted); text-decoration: line-through; }
.rp-after { font-weight: 600; }
.rp-regions { display: flex; gap: 16px; flex-wrap: wrap; align-items: flex-start; }
.rp-region { flex: 1 1 300px; border: 1px solid var(--line); border-radius: 6px; padding: 8px; min-width: 260px; }
.rp-items { width: 100%; }
.rp-items td { padding: 1px 4px; vertical-align: top; }
.rp-items .rp-id { font-weight: 600; word-break: break-all; }
.rp-items .rp-value { padding-left: 2ch; word-break: break-word; }
.rp-items tr.rp-record .rp-id { font-weight: 400; }
.rp-passed-list { margin-top: 8px; }
.rp-items td.rp-mark, .rp-items td.rp-diverged { width: 1ch; color: #9a6700; font-weight: 700; }
.rp-items tr.rp-changed td { background: var(--changed); font-weight: 600; }
.rp-items tr.rp-record td { color: var(--muted); }
.rp-flights ul { margin: 0; padding-left: 18px; color: #0550ae; }
.rp-mermaid pre { background: var(--panel); padding: 8px; overflow: auto; max-height: 40vh; }
summary { cursor: pointer; font-weight: 600; }
.rp-table ul { margin: 0; padding-left: 18px; }
.rp-counts td:last-child { text-align: right; font-variant-numeric: tabular-nums; }
@media print {
  body { padding: 0; font-size: 12px; }
  .rp-controls, .rp-noprint { display: none !important; }
  .rp-spacetime { max-height: none; overflow: visible; border: none; }
  details > :not(summary) { display: block !important; }
  details::details-content { content-visibility: visible; display: block; }
  .rp-step, .rp-region { break-inside: avoid; }
  .rp-mermaid pre { max-height: none; overflow: visible; white-space: pre-wrap; word-break: break-all; }
  a { color: inherit; }
}
`;
