// The consented beacon (issue 15, part 2): what only the browser knows, sent once when the page is left. Hand-written
// ES5, under 2 KB gzip (a test measures it). It never reads text, form values or keystrokes, and ignores clicks
// inside forms and fields; a click is named by its element's tag, id and classes (up to 4 levels), a link away by host.
import { createHash } from 'node:crypto';

/** Events per batch; the endpoint refuses more (analytics.beacon.routes.ts). */
export const MAX_EVENTS = 20;

export const beaconJs = `(function () {
  var d = document, w = window, n = navigator, L = location;
  if (!n.sendBeacon || !w.JSON || !d.addEventListener) return;
  var shown = d.visibilityState === 'hidden' ? 0 : Date.now(), visible = 0, depth = 0, queue = [], engaged = false;
  function measure() {
    var e = d.documentElement, b = d.body;
    var room = Math.max(e.scrollHeight, b ? b.scrollHeight : 0) - w.innerHeight;
    var p = room > 0 ? Math.round(((w.pageYOffset || e.scrollTop || 0) / room) * 100) : 100;
    if (p > depth) depth = p > 100 ? 100 : p;
  }
  function selector(el) {
    var parts = [], i, j, s, c;
    for (i = 0; el && el.nodeType === 1 && i < 4; i++, el = el.parentElement) {
      s = el.tagName.toLowerCase();
      if (el.id) s += '#' + el.id;
      c = typeof el.className === 'string' ? el.className.split(/\\s+/) : [];
      for (j = 0; j < c.length && j < 3; j++) if (c[j]) s += '.' + c[j];
      parts.unshift(s.toLowerCase().replace(/[^a-z0-9#._:-]/g, ''));
      if (el.id) break;
    }
    return parts.join(' > ').slice(0, 200);
  }
  function add(kind, target) {
    if (queue.length < ${MAX_EVENTS - 1} && target) queue.push({ kind: kind, target: target });
  }
  d.addEventListener('click', function (e) {
    var t = e.target;
    if (!t || t.nodeType !== 1 || !t.closest || t.closest('form,input,textarea,select,[contenteditable]')) return;
    var a = t.closest('a[href]');
    if (a && /^https?:$/.test(a.protocol) && a.hostname && a.host !== L.host) add('outbound', a.hostname.toLowerCase());
    else add('click', selector(t));
  }, true);
  w.addEventListener('scroll', measure, { passive: true });
  function send() {
    if (shown) visible += Date.now() - shown;
    shown = 0;
    measure();
    var events = queue;
    queue = [];
    if (!engaged) {
      engaged = true;
      events.unshift({ kind: 'engagement', duration_ms: Math.min(visible, 86400000), scroll_pct: depth });
    }
    if (!events.length) return;
    var body = { path: L.pathname.slice(0, 300), screen: { w: Math.round(screen.width), h: Math.round(screen.height) }, events: events };
    try { body.tz = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (x) {}
    n.sendBeacon('/api/v1/analytics/events', new Blob([JSON.stringify(body)], { type: 'application/json' }));
  }
  d.addEventListener('visibilitychange', function () {
    if (d.visibilityState === 'hidden') send();
    else shown = Date.now();
  });
  w.addEventListener('pagehide', function () { if (shown) send(); });
})();
`;

/** Part of the script's address, so that it can be cached for a year and still change with a release. */
export const BEACON_VERSION = createHash('sha256').update(beaconJs).digest('hex').slice(0, 10);
