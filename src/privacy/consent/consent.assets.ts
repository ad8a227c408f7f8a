// The banner's script and styles (budget: 8 KB gzip together, checked by a test) and the Consent Mode v2
// script. Served from our own origin; written by hand, small enough to need no bundler.

/** Dialog behaviour only: without it the banner and the /cookies page work as plain forms. */
export const consentJs = `(function () {
  var opener = null;
  function open(dialog) {
    dialog.showModal();
    var first = dialog.querySelector('input, button, summary');
    if (first) first.focus();
  }
  document.addEventListener('click', function (e) {
    var link = e.target && e.target.closest ? e.target.closest('[data-open-settings]') : null;
    if (!link || typeof HTMLDialogElement !== 'function' || !window.fetch) return;
    e.preventDefault();
    opener = link;
    var dialog = document.getElementById('consent-settings');
    if (dialog) return open(dialog);
    fetch('/consent/settings', { credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.text();
    }).then(function (markup) {
      document.body.insertAdjacentHTML('beforeend', markup);
      dialog = document.getElementById('consent-settings');
      dialog.addEventListener('close', function () { if (opener) opener.focus(); });
      open(dialog);
    }).catch(function () { location.href = link.href; });
  });
  document.addEventListener('change', function (e) {
    var box = e.target;
    if (!box || box.type !== 'checkbox') return;
    var form = box.form;
    if (!form) return;
    // A vendor follows its category: off -> unticked and disabled; on -> all ticked, each can be unticked; the
    // last one unticked switches the category off (the server derives the same state without this script). A
    // category of our own purposes (data-own) is on by itself: on, its vendors are enabled but none is ticked.
    function follow(c, on, own) {
      form.querySelectorAll('[data-in-category="' + c + '"]').forEach(function (v) { v.checked = on && (!own || v.checked); v.disabled = !on; });
    }
    if (box.dataset.category) {
      follow(box.dataset.category, box.checked, box.hasAttribute('data-own'));
    } else if (box.dataset.inCategory) {
      var cat = form.querySelector('[data-category="' + box.dataset.inCategory + '"]');
      if (cat && cat.hasAttribute('data-own')) return;
      var any = form.querySelector('[data-in-category="' + box.dataset.inCategory + '"]:checked');
      if (cat) cat.checked = !!any;
      if (!any) follow(box.dataset.inCategory, false);
    }
  });
})();
`;

export const consentCss = `html:has(#consent-banner[open]){scroll-padding-bottom:45vh}
.consent-banner{position:fixed;inset:auto 0 0 0;margin:0;max-width:none;width:100%;max-height:40vh;overflow:auto;z-index:50;border:0;border-top:3px solid var(--accent,#0b5cad);background:#fff;color:#1b1b1f;padding:1rem 2rem;box-shadow:0 -4px 16px rgba(0,0,0,.15)}
.consent-banner h2{margin:.2rem 0 .5rem;font-size:1.15rem}
.consent-actions{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;margin-top:1rem}
.consent-actions button,.consent-actions .button{min-width:10rem;text-align:center;text-decoration:none}
.consent-banner .consent-actions{position:sticky;bottom:-1rem;background:#fff;padding:.5rem 0 1rem;margin:.5rem 0 -1rem}
@media (max-width:40rem){.consent-banner{padding:.75rem 1rem 1rem;max-height:60vh}.consent-banner h2{font-size:1.05rem}.consent-banner p{font-size:.9rem;margin:.4rem 0}.consent-actions{gap:.5rem}.consent-actions button,.consent-actions .button{min-width:0;flex:1 1 9rem}}
.consent-settings{max-width:46rem;width:calc(100% - 2rem);max-height:90vh;overflow:auto;border:1px solid #d8d8e0;border-radius:6px;padding:1.25rem 1.5rem}
.consent-settings::backdrop{background:rgba(0,0,0,.45)}
.consent-form fieldset{border:1px solid #d8d8e0;border-radius:6px;margin:0 0 1rem;padding:.5rem 1rem}
.consent-form legend{font-weight:700}
.consent-vendors{list-style:none;padding:0;margin:.25rem 0}
.consent-vendors li{border-top:1px solid #eee;padding:.4rem 0}
.consent-vendors details{margin:.25rem 0 0 1.6rem}
.consent-vendors dt{font-weight:600}
.consent-vendors dd{margin:0 0 .3rem}
.social{display:flex;gap:1rem;list-style:none;padding:0}
`;

/** Google Consent Mode v2: everything denied by default, then the visitor's state as an update. */
export const consentModeJs = `(function () {
  var s = document.currentScript;
  window.dataLayer = window.dataLayer || [];
  window.gtag = window.gtag || function () { window.dataLayer.push(arguments); };
  window.gtag('consent', 'default', { ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'denied', wait_for_update: 500 });
  var state = {};
  try { state = JSON.parse(s && s.dataset.state || '{}'); } catch (e) { state = {}; }
  window.gtag('consent', 'update', state);
})();
`;
