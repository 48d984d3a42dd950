/**
 * The replay of a report's steps (ReportData, data.ts) as the page runs it: a function kept as
 * source text so the page and the tests run the very same code (the tests evaluate it in Node).
 * `makeReplayer(d)` walks the steps once, keeping the whole state every `d.every` steps; `at(i)`
 * then starts from the checkpoint before step i and applies at most `d.every` deltas.
 */
export const REPLAY_JS = String.raw`
function makeReplayer(d) {
  var n = d.t.length;
  var regions = d.regions.length;
  function empty() {
    var items = [];
    for (var r = 0; r < regions; r++) items.push(new Map());
    return { items: items, flights: new Map() };
  }
  function copy(state) {
    return { items: state.items.map(function (m) { return new Map(m); }), flights: new Map(state.flights) };
  }
  function apply(state, i) {
    var r = d.dr[i];
    if (r >= 0) {
      if (d.dv[i] >= 0) state.items[r].set(d.s[d.di[i]], d.s[d.dv[i]]);
      else state.items[r].delete(d.s[d.di[i]]);
    }
    var f = d.fl[i];
    if (f > 0) state.flights.set(i, d.s[f - 1]);
    else if (f < 0) state.flights.delete(-f - 1);
  }
  // checkpoints[c]: the state before step c * every.
  var checkpoints = [];
  var running = empty();
  for (var i = 0; i < n; i++) {
    if (i % d.every === 0) checkpoints.push(copy(running));
    apply(running, i);
  }
  var last = null;
  var lastAt = -1;
  return {
    steps: n,
    /** The state right after step i (0-based; valid until the next call): items per region (Map id -> summary), flights in the air. */
    at: function (i) {
      // Stepping or playing forward goes on from the last state; anything else starts at a checkpoint.
      var c = Math.floor(i / d.every);
      var from = c * d.every;
      if (last === null || i < lastAt || lastAt < from) {
        last = copy(checkpoints[c]);
        lastAt = from - 1;
      }
      for (var j = lastAt + 1; j <= i; j++) apply(last, j);
      lastAt = i;
      return last;
    },
  };
}
`;

/**
 * The page's script: decode the data, draw a step, move with the slider, keys, buttons and clicks
 * on the space-time drawing, and render the Mermaid diagram when its section opens. Only
 * JSON.parse reads data; the Mermaid bundle is the one script made from a string.
 */
export const PAGE_JS = String.raw`
(function () {
  'use strict';
  ${REPLAY_JS}
  function bytesOf(b64) {
    var bin = atob(b64);
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return bytes;
  }
  function gunzip(b64) {
    var stream = new Blob([bytesOf(b64)]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).text();
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function $(id) { return document.getElementById(id); }

  // geosim's own records, and those report.records names (Powertools'): set once the data is read
  var otherRecords = new Set();
  function recordId(id) { return id !== null && (id.indexOf('IDEMPOTENCY#') === 0 || otherRecords.has(id)); }
  // Items drawn per region at a step: a DOM of thousands of rows per keypress would lag.
  var SHOWN = 300;
  var SHOWN_RECORDS = 40;

  function start(d) {
    otherRecords = new Set(d.records || []);
    var replay = makeReplayer(d);
    var n = replay.steps;
    var slider = $('rp-slider');
    var svg = document.querySelector('svg.geosim-spacetime');
    var scroller = $('rp-spacetime');
    var cursor = null;
    var bySeq = new Map();
    for (var i = 0; i < n; i++) bySeq.set(d.seq[i], i);
    if (svg) {
      cursor = document.createElementNS('http://www.w3.org/2000/svg', 'line');
      cursor.setAttribute('class', 'rp-cursor');
      cursor.setAttribute('x1', '0');
      cursor.setAttribute('x2', svg.getAttribute('width') || '100%');
      // under every drawing, just above the white background: a time label or a mark's label (with
      // its white halo) stays legible where the line crosses it
      var background = svg.querySelector(':scope > rect');
      svg.insertBefore(cursor, background ? background.nextSibling : null);
      svg.addEventListener('click', function (ev) {
        var mark = ev.target && ev.target.closest ? ev.target.closest('[data-seq]') : null;
        if (!mark) return;
        var step = bySeq.get(Number(mark.getAttribute('data-seq')));
        if (step !== undefined) { go(step); slider.focus(); }
      });
    }
    function yOf(t) {
      var a = d.axis;
      if (a.length === 0) return 0;
      if (t <= a[0]) return a[1];
      for (var k = 2; k < a.length; k += 2) {
        if (t <= a[k]) {
          var t0 = a[k - 2], y0 = a[k - 1], t1 = a[k], y1 = a[k + 1];
          return t1 === t0 ? y1 : y0 + ((t - t0) / (t1 - t0)) * (y1 - y0);
        }
      }
      return a[a.length - 1];
    }
    var current = -1;
    var lit = [];
    function draw(i) {
      var state = replay.at(i);
      $('rp-step-no').textContent = 'step ' + (i + 1) + ' of ' + n;
      $('rp-step-time').textContent = d.s[d.time[i]];
      var label = $('rp-step-label');
      label.textContent = d.s[d.label[i]];
      label.className = 'rp-label rp-tone-' + d.s[d.tone[i]];
      var where = d.region[i] >= 0 ? d.regions[d.region[i]] : '';
      if (d.from[i] >= 0) where = d.regions[d.from[i]] + ' → ' + where;
      $('rp-step-region').textContent = where;
      $('rp-step-text').textContent = d.text[i];
      var change = $('rp-step-change');
      change.textContent = '';
      if (d.before[i] >= 0) {
        change.appendChild(el('span', 'rp-before', d.s[d.before[i]]));
        change.appendChild(el('span', 'rp-arrow', ' → '));
        change.appendChild(el('span', 'rp-after', d.s[d.after[i]]));
      }
      var changedRegion = d.dr[i];
      var changedId = changedRegion >= 0 ? d.s[d.di[i]] : null;
      var box = $('rp-regions');
      var frag = document.createDocumentFragment();
      for (var r = 0; r < d.regions.length; r++) {
        var col = el('section', 'rp-region');
        var items = state.items[r];
        // Data items sorted, the first SHOWN of them (and the changed one); idempotency records
        // listed while few, else counted: a long run holds tens of thousands, one per event.
        var dataIds = [];
        var records = 0;
        items.forEach(function (_, id) { if (recordId(id)) records++; else dataIds.push(id); });
        dataIds.sort(function (a, b) { return a < b ? -1 : a > b ? 1 : 0; });
        var ids = dataIds.slice(0, SHOWN);
        if (r === changedRegion && !recordId(changedId) && ids.indexOf(changedId) < 0 && items.has(changedId)) ids.push(changedId);
        var hidden = dataIds.length - ids.length;
        if (records <= SHOWN_RECORDS) {
          var recordIds = [];
          items.forEach(function (_, id) { if (recordId(id)) recordIds.push(id); });
          ids = ids.concat(recordIds.sort());
        } else if (r === changedRegion && recordId(changedId) && items.has(changedId)) ids.push(changedId);
        col.appendChild(el('h4', '', d.regions[r] + (items.size === 0 ? '  (empty)' : '')));
        var list = el('table', 'rp-items');
        for (var k = 0; k < ids.length; k++) {
          var id = ids[k];
          var value = items.get(id);
          var diverged = state.items.some(function (m) { return m.get(id) !== value; });
          var row = el('tr', (r === changedRegion && id === changedId ? 'rp-changed' : '') + (recordId(id) ? ' rp-record' : ''));
          row.appendChild(el('td', 'rp-mark', r === changedRegion && id === changedId ? '▸' : ''));
          row.appendChild(el('td', 'rp-diverged', diverged ? '≠' : ''));
          var cell = el('td', 'rp-item');
          cell.appendChild(el('div', 'rp-id', id));
          if (!recordId(id)) cell.appendChild(el('div', 'rp-value', value));
          else cell.firstChild.title = value;
          row.appendChild(cell);
          row.setAttribute('data-item', id);
          list.appendChild(row);
        }
        col.appendChild(list);
        if (hidden > 0) col.appendChild(el('p', 'rp-note', '… ' + hidden + ' more item' + (hidden === 1 ? '' : 's') + ' not shown'));
        if (records > SHOWN_RECORDS) col.appendChild(el('p', 'rp-note', records + ' idempotency records'));
        frag.appendChild(col);
      }
      var flights = el('section', 'rp-region rp-flights');
      flights.appendChild(el('h4', '', 'in flight' + (state.flights.size === 0 ? '  (none)' : ' (' + state.flights.size + ')')));
      var fl = el('ul', '');
      state.flights.forEach(function (text) { fl.appendChild(el('li', '', text)); });
      flights.appendChild(fl);
      frag.appendChild(flights);
      box.textContent = '';
      box.appendChild(frag);
      for (var q = 0; q < lit.length; q++) lit[q].classList.remove('rp-current');
      lit = svg ? Array.prototype.slice.call(svg.querySelectorAll('[data-seq="' + d.seq[i] + '"]')) : [];
      for (var p = 0; p < lit.length; p++) lit[p].classList.add('rp-current');
      if (cursor) {
        var y = yOf(d.t[i]);
        cursor.setAttribute('y1', String(y));
        cursor.setAttribute('y2', String(y));
        if (scroller) {
          var scale = svg.getBoundingClientRect().height / (Number(svg.getAttribute('height')) || 1);
          var top = y * scale;
          if (top < scroller.scrollTop + 20 || top > scroller.scrollTop + scroller.clientHeight - 20) scroller.scrollTop = Math.max(0, top - scroller.clientHeight / 2);
        }
      }
    }
    function go(i) {
      i = Math.max(0, Math.min(n - 1, i));
      if (i === current) return;
      current = i;
      slider.value = String(i + 1);
      draw(i);
    }
    var timer = null;
    function stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
      $('rp-play').textContent = 'Play';
      $('rp-play').setAttribute('aria-pressed', 'false');
    }
    function play() {
      if (timer !== null) return stop();
      if (current >= n - 1) go(0);
      $('rp-play').textContent = 'Pause';
      $('rp-play').setAttribute('aria-pressed', 'true');
      timer = setInterval(function () {
        if (current >= n - 1) stop();
        else go(current + 1);
      }, 250);
    }
    slider.max = String(n);
    slider.addEventListener('input', function () { go(Number(slider.value) - 1); });
    $('rp-prev').addEventListener('click', function () { go(current - 1); });
    $('rp-next').addEventListener('click', function () { go(current + 1); });
    $('rp-play').addEventListener('click', play);
    document.addEventListener('keydown', function (ev) {
      // Wherever the focus is (the page has no text field): the slider's own arrow handling is replaced.
      if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
      var by = ev.shiftKey ? 10 : 1;
      if (ev.key === 'ArrowRight') go(current + by);
      else if (ev.key === 'ArrowLeft') go(current - by);
      else if (ev.key === 'Home') go(0);
      else if (ev.key === 'End') go(n - 1);
      else return;
      ev.preventDefault();
    });
    if (n > 0) go(0);
  }

  function mermaidSection() {
    var details = $('rp-mermaid');
    var bundle = $('rp-mermaid-bundle');
    if (!details || !bundle) return;
    var done = false;
    details.addEventListener('toggle', function () {
      if (!details.open || done) return;
      done = true;
      var target = $('rp-mermaid-live');
      target.textContent = 'rendering…';
      gunzip(bundle.textContent.trim()).then(function (code) {
        var script = document.createElement('script');
        script.textContent = code;
        document.head.appendChild(script);
        var mermaid = window.mermaid;
        mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
        return mermaid.render('rp-mermaid-svg', $('rp-mermaid-source').textContent);
      }).then(function (out) {
        target.innerHTML = out.svg;
        target.setAttribute('data-rendered', '1');
      }).catch(function (error) {
        target.textContent = 'The diagram could not be drawn here: ' + (error && error.message ? error.message : String(error));
      });
    });
  }

  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details').forEach(function (x) { x.open = true; });
  });
  mermaidSection();
  var data = $('rp-data');
  gunzip(data.textContent.trim()).then(function (text) {
    start(JSON.parse(text));
    document.body.dataset.ready = '1';
  }).catch(function (error) {
    $('rp-step-text').textContent = 'The steps could not be read: ' + (error && error.message ? error.message : String(error));
    document.body.dataset.ready = 'error';
  });
})();
`;
