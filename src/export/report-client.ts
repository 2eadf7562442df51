// The report's in-page script, as text (it runs in the browser, not in Node): clicking a chat
// event highlights its causal past and future according to the truth (mark filled: past blue,
// future orange) and according to the clocks (ring: past green, future magenta), and circles
// in dashed red every event on which the two disagree. The truth's rule is causal.ts's:
// a -> b iff V(a)[node(a)] <= V(b)[node(a)]; the clocks' rule compares the events' own
// `after` clocks (vectors componentwise, a missing entry is 0; Lamport clocks as numbers).
// The resulting classes on each <g class="ev" data-ev=N> are t-past, t-future, c-past,
// c-future, disagree and sel; tests read them.

export const REPORT_SCRIPT = String.raw`
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('vcsim-data').textContent);
  var byEv = {};
  D.chat.forEach(function (c) { byEv[c.e] = c; });
  var svg = document.querySelector('#diagram svg');
  var marks = {};
  var NS = 'http://www.w3.org/2000/svg';
  Array.prototype.forEach.call(svg.querySelectorAll('g.ev.chat'), function (g) {
    var ev = Number(g.getAttribute('data-ev'));
    marks[ev] = g;
    var dot = g.querySelector('.dot');
    var cx = dot.getAttribute('cx'), cy = dot.getAttribute('cy');
    [['ring', 7.2], ['halo', 10.5]].forEach(function (p) {
      var c = document.createElementNS(NS, 'circle');
      c.setAttribute('class', p[0]); c.setAttribute('cx', cx); c.setAttribute('cy', cy); c.setAttribute('r', String(p[1]));
      g.appendChild(c);
    });
  });
  function own(c, n) { var x = c.v[n]; return x === undefined ? 0 : x; }
  function truthBefore(a, b) { return a !== b && own(a, a.n) <= own(b, a.n); }
  function get(c, k) { if (typeof c === 'number') return c; var x = c[k]; return x === undefined ? 0 : x; }
  function leq(a, b) {
    if (typeof a === 'number' || typeof b === 'number') return get(a, '') <= get(b, '');
    for (var k in a) if (a[k] > get(b, k)) return false;
    return true;
  }
  function clockBefore(a, b) { return a !== b && leq(a.a, b.a) && !leq(b.a, a.a); }
  var CLASSES = ['sel', 't-past', 't-future', 'c-past', 'c-future', 'disagree'];
  var panel = document.getElementById('selection');
  function clear() {
    svg.classList.remove('selecting');
    Object.keys(marks).forEach(function (k) { CLASSES.forEach(function (c) { marks[k].classList.remove(c); }); });
  }
  function list(evs) {
    if (evs.length === 0) return 'none';
    var s = evs.slice(0, 24).map(function (e) { var c = byEv[e]; return c.n + '#' + e; }).join(', ');
    return s + (evs.length > 24 ? ', ... (' + evs.length + ')' : '');
  }
  function text(s) { return document.createTextNode(s); }
  function line(label, value) {
    var p = document.createElement('div');
    var b = document.createElement('b'); b.appendChild(text(label)); p.appendChild(b); p.appendChild(text(' ' + value));
    return p;
  }
  function select(ev) {
    clear();
    var s = byEv[ev];
    if (!s) return;
    svg.classList.add('selecting');
    marks[ev].classList.add('sel');
    var tp = [], tf = [], cp = [], cf = [], missPast = [], extraPast = [], missFuture = [], extraFuture = [];
    D.chat.forEach(function (c) {
      if (c === s) return;
      var a = truthBefore(c, s), b = truthBefore(s, c), x = clockBefore(c, s), y = clockBefore(s, c);
      var g = marks[c.e];
      if (a) { tp.push(c.e); g.classList.add('t-past'); }
      if (b) { tf.push(c.e); g.classList.add('t-future'); }
      if (x) { cp.push(c.e); g.classList.add('c-past'); }
      if (y) { cf.push(c.e); g.classList.add('c-future'); }
      if (a && !x) missPast.push(c.e);
      if (x && !a) extraPast.push(c.e);
      if (b && !y) missFuture.push(c.e);
      if (y && !b) extraFuture.push(c.e);
      if (a !== x || b !== y) g.classList.add('disagree');
    });
    while (panel.firstChild) panel.removeChild(panel.firstChild);
    panel.appendChild(line('Selected:', s.n + ' ' + s.k + (s.m !== undefined ? ' msg ' + s.m : '') + ' at ' + (s.t / 1e6) + 's (event ' + s.e + ')'));
    panel.appendChild(line('Clock after:', JSON.stringify(s.a) + '   true vector: ' + JSON.stringify(s.v)));
    panel.appendChild(line('Truth:', tp.length + ' events in the causal past, ' + tf.length + ' in the causal future.'));
    panel.appendChild(line('Clocks:', cp.length + ' events ordered before it, ' + cf.length + ' after it.'));
    var agree = missPast.length + extraPast.length + missFuture.length + extraFuture.length === 0;
    var d = line('Disagreement:', agree ? 'none: the clocks order this event exactly as the truth does.' :
      'past missed by the clocks: ' + list(missPast) + '; wrongly in the past: ' + list(extraPast) +
      '; future missed: ' + list(missFuture) + '; wrongly in the future: ' + list(extraFuture) + '.');
    d.className = agree ? 'agree' : 'differ';
    panel.appendChild(d);
    panel.setAttribute('data-selected', String(ev));
  }
  svg.addEventListener('click', function (e) {
    var g = e.target.closest ? e.target.closest('g.ev.chat') : null;
    if (g) select(Number(g.getAttribute('data-ev'))); else { clear(); panel.removeAttribute('data-selected'); }
  });
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape') { clear(); panel.removeAttribute('data-selected'); } });
  window.vcsimSelect = select;
})();
`;
