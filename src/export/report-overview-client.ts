// The report's overview script, as text (it runs in the browser, not in Node; docs/pictures.md,
// "report.html"). It reads the embedded overview (#vcsim-overview: the bins of
// src/export/overview.ts) and draws: time series with uPlot (inlined into the page), fault
// intervals shaded behind them; a heatmap of activity per lane and time bin with receiver
// deaths and node faults marked; the checker's verdicts per pair of lanes as a matrix.
// Dragging across a chart or the heatmap selects a time window (the heatmap: lanes too);
// the selection gives the exact `vcsim render` command for it, and marks on the embedded
// diagram the events inside it (the others dimmed). Tests read #drill's data-window and
// data-inside, and the diagram marks' class `out`.

export const OVERVIEW_SCRIPT = String.raw`
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('vcsim-overview').textContent);
  var o = D.o, W = o.binUs, NB = o.bins;
  var xs = [];
  for (var i = 0; i < NB; i++) xs.push(i * W / 1e6);
  var nodeIndex = {};
  D.nodes.forEach(function (n, i) { nodeIndex[n] = i; });
  var L = o.lanes.names.length, N = D.nodes.length;
  function laneOf(i) { return Math.floor(i * L / N); }
  var FAULT_FILL = { partition: 'rgba(216,198,106,0.28)', crash: 'rgba(231,76,60,0.13)', pause: 'rgba(120,120,120,0.13)', leave: 'rgba(60,60,60,0.10)', quiet: 'rgba(127,191,127,0.18)' };
  function faultEnd(f) { return f.end === null ? o.end : f.end; }
  function fmt(us) { var s = (us / 1e6).toFixed(6).replace(/0+$/, ''); if (s.charAt(s.length - 1) === '.') s = s.slice(0, -1); return s + 's'; }
  function sum(a) { var s = 0; for (var i = 0; i < a.length; i++) s += a[i]; return s; }
  function ratio(a, b) { return a.map(function (x, i) { return b[i] > 0 ? x / b[i] : null; }); }
  var charts = [];
  // Axis numbers kept short: 1.2M, 850k, 0.75.
  function compact(u, vals) {
    return vals.map(function (v) {
      if (v === null) return '';
      var a = Math.abs(v);
      if (a >= 1e6) return +(v / 1e6).toFixed(2) + 'M';
      if (a >= 1e4) return +(v / 1e3).toFixed(1) + 'k';
      return String(+v.toFixed(3));
    });
  }

  function shade(u) {
    var ctx = u.ctx;
    ctx.save();
    o.faults.forEach(function (f) {
      var fill = FAULT_FILL[f.kind] || 'rgba(179,157,219,0.16)';
      var x0 = u.valToPos(f.start / 1e6, 'x', true), x1 = u.valToPos(faultEnd(f) / 1e6, 'x', true);
      x0 = Math.max(x0, u.bbox.left); x1 = Math.min(x1, u.bbox.left + u.bbox.width);
      if (x1 <= x0) return;
      ctx.fillStyle = fill;
      ctx.fillRect(x0, u.bbox.top, Math.max(1, x1 - x0), u.bbox.height);
    });
    ctx.restore();
  }

  function chart(id, series, yLabel, y2) {
    var el = document.getElementById(id);
    if (!el) return;
    var shown = series.filter(function (s) { return s.always || sum(s.values.map(function (v) { return v || 0; })) > 0; });
    if (shown.length === 0) { el.className += ' empty'; el.textContent = 'Nothing to show: none of ' + series.map(function (s) { return s.label; }).join(', ') + ' happened.'; return; }
    var opts = {
      width: Math.max(320, el.clientWidth - 8), height: 190,
      cursor: { sync: { key: 'vcsim' }, drag: { x: true, y: false, setScale: false } },
      scales: { x: { time: false } },
      legend: { live: true },
      axes: [{ label: 'time (s)', size: 36 }, { label: yLabel, size: 60, values: compact }].concat(y2 ? [{ scale: 'y2', side: 1, label: y2, grid: { show: false }, size: 60, values: compact }] : []),
      series: [{ label: 'bin start (s)' }].concat(shown.map(function (s) {
        return { label: s.label, stroke: s.colour, fill: s.fill, width: 1.6, scale: s.y2 ? 'y2' : 'y', spanGaps: false, points: { show: false }, paths: uPlot.paths.stepped({ align: 1 }) };
      })),
      hooks: {
        drawClear: [shade],
        setSelect: [function (u) {
          if (u.select.width < 3) return;
          select(u.posToVal(u.select.left, 'x') * 1e6, u.posToVal(u.select.left + u.select.width, 'x') * 1e6, null);
        }],
      },
    };
    charts.push(new uPlot(opts, [xs].concat(shown.map(function (s) { return s.values; })), el));
  }

  var S = o.series, A = o.anomalies, zeros = xs.map(function () { return 0; });
  chart('chart-traffic', [
    { label: 'sends', values: S.sends, colour: '#1f4e9c', always: true },
    { label: 'receives', values: S.receives, colour: '#7fa7d9', always: true },
    { label: 'dropped (loss)', values: S.dropped, colour: '#7f7f7f' },
    { label: 'partitioned', values: S.partitioned, colour: '#8e44ad' },
    { label: 'receiver dead', values: S.receiver_dead, colour: '#c0392b' },
    { label: 'receiver down', values: S.receiver_down, colour: '#e67e22' },
  ], 'per bin');
  chart('chart-trouble', [
    { label: 'receiver deaths', values: S.receiver_deaths, colour: '#c0392b', always: true },
    { label: 'clock regressions', values: A.clock_regression || zeros, colour: '#8e44ad', always: true },
    { label: 'undelivered (all copies lost)', values: A.undelivered || zeros, colour: '#7f7f7f' },
  ], 'per bin');
  chart('chart-delivery', [
    { label: 'delivery ratio (chat copies reaching their receiver)', values: ratio(S.chat_delivered, S.chat_attempts), colour: '#1a7f37', always: true },
  ], 'ratio');
  chart('chart-wire', [
    { label: 'bytes per chat message', values: ratio(S.chat_bytes, S.sends), colour: '#1f4e9c', always: true },
    { label: 'clock entries per message', values: ratio(S.clock_entries, S.sends), colour: '#e67e22', always: true, y2: true },
  ], 'bytes', 'entries');
  if (o.verdicts) {
    var col = function (c) { return o.verdicts.bins.map(function (b) { return b[c]; }); };
    chart('chart-verdicts', [
      { label: 'missed', values: col(1), colour: '#e41a1c', always: true },
      { label: 'false order', values: col(2), colour: '#984ea3', always: true },
      { label: 'reversed', values: col(3), colour: '#ff7f00', always: true },
    ], 'pairs');
  }

  // The heatmap: lanes x bins, activity on a log scale; deaths, node faults, partitions marked.
  var heat = document.getElementById('heatmap');
  var HL = 110, HT = 8, HR = 10;
  var rowH = Math.max(3, Math.min(16, Math.floor(520 / L)));
  function heatGeom() { var w = heat.clientWidth || 900; return { w: w, pw: w - HL - HR, h: HT + rowH * L + 26 }; }
  function drawHeat() {
    var g = heatGeom(), dpr = window.devicePixelRatio || 1;
    heat.width = g.w * dpr; heat.height = g.h * dpr; heat.style.height = g.h + 'px';
    var ctx = heat.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, g.w, g.h);
    var max = 1;
    o.lanes.activity.forEach(function (row) { row.forEach(function (v) { if (v > max) max = v; }); });
    var cw = g.pw / NB;
    o.faults.forEach(function (f) {
      if (f.kind !== 'partition' && f.kind !== 'quiet') return;
      ctx.fillStyle = FAULT_FILL[f.kind];
      ctx.fillRect(HL + f.start / W * cw, HT, Math.max(1, (faultEnd(f) - f.start) / W * cw), rowH * L);
    });
    for (var l = 0; l < L; l++) {
      var row = o.lanes.activity[l];
      for (var b = 0; b < NB; b++) {
        if (row[b] === 0) continue;
        var k = Math.log(1 + row[b]) / Math.log(1 + max);
        ctx.fillStyle = 'rgba(31,78,156,' + (0.12 + 0.88 * k).toFixed(3) + ')';
        ctx.fillRect(HL + b * cw, HT + l * rowH, Math.max(1, cw - 0.3), rowH - (rowH > 5 ? 1 : 0));
      }
    }
    o.faults.forEach(function (f) {
      if (!f.nodes || (f.kind !== 'crash' && f.kind !== 'pause' && f.kind !== 'leave')) return;
      ctx.strokeStyle = f.kind === 'crash' ? '#b71c1c' : f.kind === 'pause' ? '#555' : '#212121';
      ctx.lineWidth = 1.5;
      f.nodes.forEach(function (n) {
        var i = nodeIndex[n]; if (i === undefined) return;
        var l = laneOf(i);
        ctx.strokeRect(HL + f.start / W * cw, HT + l * rowH + 0.5, Math.max(2, (faultEnd(f) - f.start) / W * cw), rowH - 1);
      });
    });
    ctx.fillStyle = '#c0392b';
    o.lanes.deaths.forEach(function (d) {
      var x = HL + d[1] / W * cw, y = HT + d[0] * rowH + rowH / 2, r = Math.max(2.5, Math.min(5, rowH / 2));
      ctx.beginPath(); ctx.moveTo(x, y - r); ctx.lineTo(x + r, y + r); ctx.lineTo(x - r, y + r); ctx.closePath(); ctx.fill();
    });
    ctx.fillStyle = '#333'; ctx.font = Math.min(11, rowH + 1) + 'px Helvetica, Arial, sans-serif'; ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
    var every = Math.ceil(9 / rowH);
    for (var m = 0; m < L; m += every) ctx.fillText(o.lanes.names[m], HL - 6, HT + m * rowH + rowH / 2);
    ctx.textAlign = 'center'; ctx.textBaseline = 'top'; ctx.font = '10px Helvetica, Arial, sans-serif';
    var step = niceStep(o.end / 1e6 / 10);
    for (var t = 0; t <= o.end / 1e6 + 1e-9; t += step) ctx.fillText(+t.toFixed(6) + 's', HL + t * 1e6 / W * cw, HT + rowH * L + 6);
    if (sel) {
      ctx.strokeStyle = '#ffb000'; ctx.lineWidth = 2;
      var l0 = sel.lanes ? sel.lanes[0] : 0, l1 = sel.lanes ? sel.lanes[1] : L - 1;
      ctx.strokeRect(HL + sel.t0 / W * cw, HT + l0 * rowH, Math.max(2, (sel.t1 - sel.t0) / W * cw), (l1 - l0 + 1) * rowH);
    }
  }
  function niceStep(raw) { var p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-6)))); var ms = [1, 2, 5, 10]; for (var i = 0; i < ms.length; i++) if (ms[i] * p >= raw) return ms[i] * p; return 10 * p; }
  function heatAt(ev) {
    var r = heat.getBoundingClientRect(), g = heatGeom();
    var x = ev.clientX - r.left, y = ev.clientY - r.top;
    return { t: Math.max(0, Math.min(o.end, (x - HL) / g.pw * NB * W)), lane: Math.max(0, Math.min(L - 1, Math.floor((y - HT) / rowH))) };
  }
  var drag = null, sel = null;
  heat.addEventListener('mousedown', function (e) { drag = heatAt(e); e.preventDefault(); });
  window.addEventListener('mouseup', function (e) {
    if (!drag) return;
    var a = drag, b = heatAt(e); drag = null;
    if (Math.abs(b.t - a.t) < W / 4) return;
    var l0 = Math.min(a.lane, b.lane), l1 = Math.max(a.lane, b.lane);
    var nodes = [];
    for (var i = 0; i < N && nodes.length < 60; i++) { var l = laneOf(i); if (l >= l0 && l <= l1) nodes.push(D.nodes[i]); }
    select(Math.min(a.t, b.t), Math.max(a.t, b.t), l0 === 0 && l1 === L - 1 ? null : nodes, [l0, l1]);
  });
  heat.addEventListener('mousemove', function (e) {
    var p = heatAt(e), b = Math.min(NB - 1, Math.floor(p.t / W));
    heat.title = o.lanes.names[p.lane] + ', ' + fmt(b * W) + '..' + fmt((b + 1) * W) + ': ' + o.lanes.activity[p.lane][b] + ' node events';
  });

  // The verdict matrix: pairs of lanes, coloured by the chosen category.
  var mat = document.getElementById('matrix'), pick = document.getElementById('matrix-category');
  var CAT = { disagree: [1, 2, 3], missed: [1], false_order: [2], reversed: [3] };
  function cell(x, y, cats) { var c = o.verdicts.pairs[x][y], s = 0; cats.forEach(function (k) { s += c[k]; }); return s; }
  function drawMatrix() {
    if (!o.verdicts || !mat) return;
    var size = Math.min(560, Math.max(220, L * 14)), ML = 90, MT = 90, cs = size / L, dpr = window.devicePixelRatio || 1;
    mat.width = (size + ML + 10) * dpr; mat.height = (size + MT + 10) * dpr;
    mat.style.width = (size + ML + 10) + 'px'; mat.style.height = (size + MT + 10) + 'px';
    var ctx = mat.getContext('2d'); ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, size + ML + 10, size + MT + 10);
    var cats = CAT[pick.value], max = 0;
    for (var x = 0; x < L; x++) for (var y = 0; y < L; y++) max = Math.max(max, cell(x, y, cats));
    for (x = 0; x < L; x++) for (y = 0; y < L; y++) {
      var v = cell(x, y, cats);
      ctx.fillStyle = v === 0 ? '#f3f5f8' : 'rgba(200,30,30,' + (0.15 + 0.85 * Math.sqrt(v / max)).toFixed(3) + ')';
      ctx.fillRect(ML + y * cs, MT + x * cs, Math.max(1, cs - (cs > 4 ? 1 : 0)), Math.max(1, cs - (cs > 4 ? 1 : 0)));
    }
    ctx.fillStyle = '#333'; ctx.font = Math.min(11, Math.max(7, cs)) + 'px Helvetica, Arial, sans-serif';
    var every = Math.ceil(9 / cs);
    for (var m = 0; m < L; m += every) {
      ctx.textAlign = 'right'; ctx.textBaseline = 'middle'; ctx.fillText(o.lanes.names[m], ML - 4, MT + m * cs + cs / 2);
      ctx.save(); ctx.translate(ML + m * cs + cs / 2, MT - 4); ctx.rotate(-Math.PI / 2); ctx.textAlign = 'left'; ctx.fillText(o.lanes.names[m], 0, 0); ctx.restore();
    }
    document.getElementById('matrix-max').textContent = max === 0 ? 'No pair of lanes has any.' : 'Darkest cell: ' + max + ' pairs.';
    mat.onmousemove = function (e) {
      var r = mat.getBoundingClientRect(), cx = Math.floor((e.clientX - r.left - ML) / cs), cy = Math.floor((e.clientY - r.top - MT) / cs);
      if (cx < 0 || cy < 0 || cx >= L || cy >= L) { mat.title = ''; return; }
      var c = o.verdicts.pairs[cy][cx];
      mat.title = o.lanes.names[cy] + ' x ' + o.lanes.names[cx] + ': ' + c[1] + ' missed, ' + c[2] + ' false order, ' + c[3] + ' reversed, ' + c[0] + ' agree';
    };
  }
  if (pick) pick.addEventListener('change', drawMatrix);

  // Drill down: the selected window's command, and the embedded diagram's marks inside it.
  var drill = document.getElementById('drill');
  function select(t0, t1, nodes, lanes) {
    t0 = Math.max(0, Math.floor(t0 / 1000) * 1000); t1 = Math.max(t0 + 1000, Math.ceil(t1 / 1000) * 1000);
    sel = { t0: t0, t1: t1, lanes: lanes || null };
    drawHeat();
    var inNodes = nodes ? {} : null;
    if (nodes) nodes.forEach(function (n) { inNodes[n] = true; });
    var b0 = Math.floor(t0 / W), b1 = Math.min(NB - 1, Math.floor((t1 - 1) / W)), est = 0;
    for (var b = b0; b <= b1; b++) est += S.events[b];
    var cmd = 'vcsim render ' + D.folder + ' --window ' + fmt(t0) + '..' + fmt(t1) + (nodes ? ' --nodes-shown ' + nodes.join(',') : '');
    var inside = 0, first = null;
    Array.prototype.forEach.call(document.querySelectorAll('#diagram g.ev[data-t], #diagram g.drop[data-t], #diagram line.arrow[data-t]'), function (g) {
      var t = Number(g.getAttribute('data-t')), n = g.getAttribute('data-node');
      var out = t < t0 || t > t1 || (inNodes !== null && n !== null && !inNodes[n]);
      g.classList.toggle('out', out);
      if (!out && g.classList.contains('ev')) { inside++; if (first === null) first = g; }
    });
    document.querySelector('#diagram svg').classList.add('windowed');
    while (drill.firstChild) drill.removeChild(drill.firstChild);
    function p(text, cls) { var e = document.createElement('div'); e.textContent = text; if (cls) e.className = cls; drill.appendChild(e); return e; }
    p('Selected ' + fmt(t0) + '..' + fmt(t1) + (nodes ? ' on ' + nodes.length + ' nodes' : ' on all nodes') + ': about ' + Math.round(est) + ' node events in those bins.');
    var c = p(cmd, 'cmd'); c.id = 'drill-command';
    p(inside > 0
      ? 'The diagram below holds ' + inside + ' events of this window (the others are dimmed); click a chat event for its causal past and future. To draw exactly this window, run the command above.'
      : 'The diagram below (' + D.drawn + ') holds no event of this window: run the command above to draw it.');
    drill.setAttribute('data-window', t0 + '..' + t1);
    drill.setAttribute('data-inside', String(inside));
    if (first !== null) first.scrollIntoView({ block: 'nearest', inline: 'center' });
    drill.scrollIntoView({ block: 'start' });
  }
  document.getElementById('drill-clear').addEventListener('click', function () {
    sel = null; drawHeat();
    Array.prototype.forEach.call(document.querySelectorAll('#diagram .out'), function (g) { g.classList.remove('out'); });
    drill.removeAttribute('data-window');
    drill.textContent = 'Drag across a chart or the heatmap to select a time window.';
  });
  drawHeat();
  drawMatrix();
  window.addEventListener('resize', function () {
    drawHeat();
    charts.forEach(function (u) { u.setSize({ width: Math.max(320, u.root.parentNode.clientWidth - 8), height: 190 }); });
  });
  window.vcsimSelectWindow = select;
  window.vcsimCharts = charts;
})();
`;
