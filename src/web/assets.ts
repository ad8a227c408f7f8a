// The site's stylesheet, served from our own origin by the web layer (no third-party hosts, CSP style-src 'self').
export const siteCss = `
:root { color-scheme: light; --fg: #1b1b1f; --muted: #55555f; --accent: #0b5cad; --bg: #fff; --line: #d8d8e0; }
* { box-sizing: border-box; }
html { scrollbar-gutter: stable; }
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
:focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.skip-link { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem 1rem; }
.skip-link:focus { left: 1rem; z-index: 10; }
.site-header { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; justify-content: space-between; padding: 1rem 2rem; border-bottom: 1px solid var(--line); }
.site-header nav ul, .site-footer ul { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; list-style: none; margin: 0; padding: 0; align-items: center; }
.brand { font-weight: 700; font-size: 1.2rem; text-decoration: none; color: var(--fg); }
main { max-width: 72rem; margin: 0 auto; padding: 1.5rem 2rem 3rem; }
.site-footer { border-top: 1px solid var(--line); padding: 1rem 2rem; color: var(--muted); }
.site-footer nav + nav { margin-top: .5rem; }
form.inline { display: inline; }
button, .button { font: inherit; padding: .4rem .9rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 4px; cursor: pointer; }
button.secondary { background: #fff; color: var(--accent); }
label { display: block; font-weight: 600; margin-top: 1rem; }
.lang-switch ul { display: flex; gap: .75rem; list-style: none; margin: 0; padding: 0; }
.lang-switch [aria-current] { font-weight: 700; text-decoration: none; }
input[type=text], input[type=email], input[type=password], input[type=tel], select { font: inherit; padding: .4rem; border: 1px solid #8a8a95; border-radius: 4px; width: 100%; max-width: 28rem; }
.checkbox label { display: inline; font-weight: normal; }
.optional { font-weight: normal; color: var(--muted); }
.hint { color: var(--muted); font-size: .9rem; margin: .2rem 0; }
.field-error { color: #b00020; margin: .2rem 0; }
.notice { border-left: 4px solid var(--accent); background: #eef4fb; padding: .75rem 1rem; }
.error-summary { border-left: 4px solid #b00020; background: #fdecee; padding: .75rem 1rem; }
/* Checkout: the shipping address only while "ship to a different address" is ticked (the server ignores it otherwise). */
.checkout-form:has(#f-ship-elsewhere:not(:checked)) .shipping-address { display: none; }
.saved-addresses { list-style: none; padding: 0; display: grid; gap: 1rem; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); }
.saved-addresses li { border: 1px solid var(--line); border-radius: 4px; padding: .75rem; }
.saved-addresses form { display: inline; }
.nav-count { display: inline-block; min-width: 1.4em; padding: 0 .35em; border-radius: .7em; background: var(--accent); color: #fff; font-size: .8rem; font-weight: 700; text-align: center; line-height: 1.4; }
.basket-thumb { float: left; margin: 0 .6rem .3rem 0; }
.basket-totals { max-width: 24rem; margin: 1rem 0 1rem auto; }
.basket-totals div { display: flex; justify-content: space-between; gap: 1rem; border-bottom: 1px solid var(--line); padding: .3rem 0; }
.basket-totals dt { font-weight: 600; }
.basket-totals dd { margin: 0; text-align: right; }
.basket-totals .basket-total { font-size: 1.15rem; }
.warning { border-left: 4px solid #a15c00; background: #fff6e5; padding: .75rem 1rem; }
.products { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: 1rem; list-style: none; padding: 0; }
.products li { border: 1px solid var(--line); border-radius: 6px; padding: 1rem; }
.kind { text-transform: uppercase; font-size: .75rem; letter-spacing: .05em; color: var(--muted); }
.price { font-weight: 700; }
img { max-width: 100%; height: auto; border-radius: 4px; }
.pages { display: flex; gap: .5rem; list-style: none; padding: 0; }
.shop-filter { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin-bottom: 1rem; }
.shop-filter label { margin: 0; }
.shop-filter input, .shop-filter select { width: auto; }
.shop-filter .price-range { display: flex; flex-wrap: wrap; gap: .3rem .5rem; align-items: center; border: 0; margin: 0; padding: 0; min-width: 0; }
.shop-filter .price-range legend { font-weight: 600; padding: 0; float: left; margin-right: .3rem; }
.shop-filter .price-range label { font-weight: normal; }
.shop-filter .price-range input { width: 5.5rem; }
/* The search field takes what room the header has left (up to 20rem) instead of claiming 20rem before the links and
   the language switch are placed, so these stay on one line at 1280 px in either language. */
.site-search { display: flex; gap: .3rem; flex: 1 1 11rem; max-width: 20rem; min-width: 0; }
.lang-switch ul, .site-header nav ul { white-space: nowrap; }
.site-search input { flex: 1 1 auto; min-width: 0; width: 100%; }
.categories { display: grid; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); gap: .75rem; list-style: none; padding: 0; }
.categories a { display: block; border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; text-decoration: none; }
.categories .category-name { display: block; font-weight: 600; font-size: 1.1rem; text-decoration: underline; }
.pager .pages { flex-wrap: wrap; align-items: center; }
.pager .pages a, .pager .pages span { display: inline-block; min-width: 2.75rem; min-height: 2.75rem; padding: .6rem .5rem; text-align: center; }
input[type=number], input[type=search] { font: inherit; padding: .4rem; border: 1px solid #8a8a95; border-radius: 4px; }
input[type=number] { width: 5rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; border-bottom: 1px solid var(--line); padding: .5rem; vertical-align: top; }
/* Long words and addresses (vendor URLs, code names) wrap instead of widening the page; licence keys never break:
   a key read or copied from two lines invites mistakes, so it moves to the next line whole. */
main { overflow-wrap: break-word; }
main :is(p, li, dt, dd, h1, h2, h3, caption), :is(table.stack, table:has(td[data-label])) :is(th, td) { overflow-wrap: anywhere; }
/* On a wide screen a cell breaks a word only when the word is longer than the column can be: "anywhere" let the
   table squeeze short columns ("Tota|l", "€37|8.00", "versa|ndt") to give long ones room. Narrower screens keep
   "anywhere" so that a table of many columns still fits; phones stack these tables (below). */
@media (min-width: 75rem) {
  :is(table.stack, table:has(td[data-label])) :is(th, td) { overflow-wrap: break-word; }
}
caption { text-align: left; font-weight: 600; padding: .75rem 0 .25rem; }
main pre { white-space: pre-wrap; overflow-wrap: anywhere; }
code.licence-key { display: inline-block; white-space: nowrap; overflow-wrap: normal; }
/* A key box: the key on one line, selected whole with one click (no script needed), scrolled inside the box (never
   the page) on a screen narrower than the key; the copy button (scripts only) wraps below it when there is no room. */
.key-box { display: flex; flex-wrap: wrap; align-items: center; gap: .4rem .75rem; max-width: 100%; margin: .25rem 0 .5rem; }
.key-box code.licence-key { max-width: 100%; overflow-x: auto; user-select: all; -webkit-user-select: all; padding: .3rem .5rem; background: #f3f4f8; border: 1px solid var(--line); border-radius: 4px; font-size: 1.05rem; letter-spacing: .02em; }
.key-box .copy-status { color: var(--muted); font-size: .9rem; }
code.checksum { overflow-wrap: anywhere; font-size: .8rem; }
textarea { font: inherit; padding: .4rem; border: 1px solid #8a8a95; border-radius: 4px; width: 100%; max-width: 40rem; }
.purchases, .bundle-items, .machines, .downloads { padding-left: 1.2rem; }
.purchase + .purchase { margin-top: 1.5rem; }
.machine-rename input[type=text] { max-width: 18rem; }
/* The staff console: a sidebar of the consoles beside the page (a wrapping row of links above it on phones); the
   home's figures as tiles and its charts as inline SVG that scale to the column. */
.console { display: flex; align-items: flex-start; max-width: 88rem; margin: 0 auto; }
.console > main { flex: 1 1 0; min-width: 0; margin: 0; }
.console-nav { flex: 0 0 14rem; padding: 1.5rem 0 1.5rem 1.5rem; }
.console-nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: .15rem; }
.console-nav a { display: block; padding: .45rem .75rem; border-radius: 4px; text-decoration: none; }
.console-nav a:hover { text-decoration: underline; }
.console-nav a[aria-current=page] { background: #e8eef8; font-weight: 600; color: var(--fg); }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr)); gap: .75rem; padding: 0; margin: 1rem 0; list-style: none; }
.figures li { border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; }
.figures .figure-value { display: block; font-size: 1.5rem; font-weight: 700; }
.figures .figure-label { display: block; color: var(--muted); }
.figures .figure-note { display: block; font-size: .9rem; }
.console-chart svg { display: block; width: 100%; height: auto; max-width: 48rem; }
/* Forms of the console (and elsewhere): fieldsets as light boxes, date and file fields like the other fields, a
   textarea on its own line with its button below it, buttons that wrap onto a new line keep a little space. */
fieldset { border: 1px solid var(--line); border-radius: 6px; padding: .25rem 1rem 1rem; margin: 1rem 0; min-width: 0; }
legend { font-weight: 600; padding: 0 .3rem; }
input[type=date], input[type=file] { font: inherit; max-width: 100%; }
input[type=date] { padding: .35rem .4rem; border: 1px solid #8a8a95; border-radius: 4px; }
textarea { display: block; }
textarea + button, textarea + .field-error + button { margin-top: .5rem; }
main button { margin-block: .15rem; }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
.actions form.inline { display: contents; }
/* Term and value lists (an order's payment, a customer's account) as two columns; one below the other on phones. */
main dl:not(:has(> div)) { display: grid; grid-template-columns: fit-content(16rem) minmax(0, 1fr); gap: .3rem 1.25rem; }
main dl:not(:has(> div)) > dt { grid-column: 1; font-weight: 600; }
main dl:not(:has(> div)) > dd { grid-column: 2; margin: 0; }
/* Forms inside table cells (the team's role change, deactivate, resend): label, field and button on one line when
   there is room, each form on its own line. */
td > form.inline { display: flex; flex-wrap: wrap; align-items: center; gap: .3rem .5rem; margin: .15rem 0; }
td > form.inline label { margin: 0; }
td select { width: auto; }
/* The staff's order search: fields side by side, the status checkboxes as a wrapping row of normal-weight labels. */
.order-filter { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: .25rem 1rem; align-items: end; margin-bottom: 1rem; }
.order-filter > :is(fieldset, p), .order-filter > .field:first-child { grid-column: 1 / -1; }
.order-filter > .field:first-child input { max-width: 28rem; width: 100%; }
.order-filter label { margin-top: .5rem; }
.order-filter fieldset { display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; margin: .5rem 0 0; }
.order-filter fieldset label { display: inline-flex; gap: .35rem; align-items: center; font-weight: normal; margin: 0; }
.order-filter input[type=date], .order-filter select { width: 100%; }
.order-filter p { margin: .5rem 0 0; }
.order-filter p a { margin-left: .75rem; }
.order-filter :is(select, input[type=date]) { height: 2.5rem; }
/* Search forms whose labels and fields are siblings (mail, customers, registrations): label beside field, one pair
   per line, so a label never ends one line with its field on the next. */
.shop-filter:not(:has(> div, > fieldset)) { display: grid; grid-template-columns: fit-content(14rem) minmax(0, 22rem); gap: .5rem .75rem; align-items: center; justify-content: start; }
.shop-filter:not(:has(> div, > fieldset)) > :not(label) { grid-column: 2; }
.shop-filter:not(:has(> div, > fieldset)) :is(input, select) { width: 100%; }
.shop-filter:not(:has(> div, > fieldset)) > button { justify-self: start; }
.shop-filter:not(:has(> div, > fieldset)) > small { color: var(--muted); margin-top: -.3rem; }
.shop-filter > div:has(> input[type=checkbox]) { align-self: center; }
.shop-filter > div > input[type=checkbox] + label { display: inline; }
/* A product page's further images as a row of thumbnails of one height; the staff's image list as cards, the image
   beside its descriptions and buttons. */
.product-gallery { display: flex; flex-wrap: wrap; gap: .75rem; list-style: none; padding: 0; margin: .75rem 0 1.25rem; }
.product-gallery img { display: block; height: 8rem; width: auto; max-width: 100%; object-fit: contain; border: 1px solid var(--line); }
.product-images { list-style: none; padding: 0; display: grid; gap: 1rem; }
/* The move and delete forms follow the paragraph p.actions (a form cannot sit inside a p, so the parser ends it
   first): they fill the row below the descriptions, one column each, beside the image. */
.product-images > li { display: grid; grid-template-columns: 10rem repeat(4, auto) minmax(0, 1fr); gap: 0 .5rem; align-items: start; border: 1px solid var(--line); border-radius: 6px; padding: 1rem; }
.product-images > li > img { grid-column: 1; grid-row: 1 / span 3; width: 100%; height: auto; margin-right: .75rem; }
.product-images > li > :is(p, form:not(.inline)) { grid-column: 2 / -1; }
.product-images > li > p:empty { display: none; }
.product-images > li > form.inline { display: block; }
.product-images > li > p:first-of-type { margin-top: 0; }
.product-images label:first-of-type { margin-top: .5rem; }
/* A customer's support actions: each button with its note beside it (below it on a phone), a little apart. */
.customer-actions form { display: flex; flex-wrap: wrap; align-items: center; gap: .25rem .75rem; margin: .5rem 0; }
.customer-actions small { color: var(--muted); font-size: .9rem; }
/* The privacy centre's report (issue 16): one closed box per processing activity, its name and record count as the
   line to open it by. */
details.report-activity { border: 1px solid var(--line); border-radius: 6px; padding: .4rem .9rem; margin: .5rem 0; }
details.report-activity > summary { cursor: pointer; }
details.report-activity > summary > h3 { display: inline; font-size: 1.05rem; margin: 0 .4rem 0 0; }
details.report-activity[open] > summary { margin-bottom: .5rem; }
/* Support (issue 14): a ticket's conversation beside the customer's details (below them on narrow screens); each
   message in a box, staff's answers marked at the left, internal notes yellow; a message keeps its line breaks. */
.support-ticket { display: flex; flex-wrap: wrap; gap: 1rem 2.5rem; align-items: flex-start; }
.support-ticket > section { flex: 2 1 30rem; min-width: 0; }
.support-ticket > aside { flex: 1 1 16rem; min-width: 0; }
.support-ticket form small { display: block; color: var(--muted); font-size: .9rem; }
ol.thread { list-style: none; padding: 0; }
:is(.support-message, ol.thread > li) { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .9rem; margin: .6rem 0; }
:is(.support-message-staff, ol.thread > li.staff) { border-left: 4px solid var(--accent); }
.support-message-note { background: #fff8d6; border-left: 4px solid #c9a100; }
.support-message header, ol.thread > li > p:first-child { font-size: .9rem; margin: 0 0 .3rem; }
.support-body { white-space: pre-wrap; }
ol.thread .body p { margin: .3rem 0; }
.support-ticket fieldset label { font-weight: normal; margin-top: .5rem; }
/* The support queue's filters (state with counts, assignment) as rows of links, the current one bold. */
ul.tabs { display: flex; flex-wrap: wrap; gap: .35rem 1.25rem; list-style: none; padding: 0; margin: .75rem 0; }
ul.tabs [aria-current=page] { font-weight: 700; color: var(--fg); text-decoration: none; }
/* Recovery codes in columns, easy to copy or print. */
.recovery-codes { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr)); gap: .4rem 1rem; max-width: 40rem; }
.recovery-codes code { font-size: 1.05rem; letter-spacing: .03em; }
/* The analytics dashboard (issue 15): report tables in columns as wide as the page allows, each scrolling inside its
   own box when a value is long; counts right-aligned; a chart legend; a change shown green or red beside its text. */
.analytics-tables { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 22rem), 1fr)); gap: 0 2rem; }
.analytics-table { min-width: 0; }
.analytics-table h3 { margin-bottom: .25rem; }
.table-box { max-width: 100%; overflow-x: auto; }
.table-box th[scope=row] { font-weight: normal; overflow-wrap: anywhere; }
th.num, td.num { text-align: right; white-space: nowrap; }
.chart-legend { display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; list-style: none; padding: 0; margin: .25rem 0; }
.console-chart .chart-legend svg { display: inline-block; width: 22px; height: 12px; vertical-align: middle; }
.change-good { color: #0a6b2f; font-weight: 600; }
.change-bad { color: #b00020; font-weight: 600; }
.figure-previous { color: var(--muted); }
.csv-links { margin: .25rem 0 1rem; font-size: .95rem; }
@media (max-width: 40rem) {
  .console { display: block; }
  .console-nav { padding: .5rem 1rem; border-bottom: 1px solid var(--line); }
  .console-nav ul { flex-direction: row; flex-wrap: wrap; gap: .1rem .5rem; }
  .console-nav a { padding: .35rem .4rem; }
}
/* Phones (up to 40rem): a compact header (the brand on one line, the links wrapping below it), narrower margins,
   and tables of class "stack" (or whose cells carry data-label) shown one row per block, each cell under its
   column's name (data-label), totals in the footer as name and amount on one line. The
   elements stay a table for screen readers, which announce the column headers themselves, so the visible
   label is hidden from them where the browser supports alternative text for generated content. */
@media (max-width: 40rem) {
  .site-header { padding: .5rem 1rem; gap: .2rem 1rem; }
  .brand { flex: 1 0 100%; font-size: 1.1rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .site-header nav ul { gap: .1rem .9rem; }
  /* The search field shares its line with the language switch, below the links, so the header stays low. */
  .site-search { flex: 1 1 10rem; order: 3; }
  .site-search input { padding: .15rem .4rem; }
  .site-search :is(input, button) { line-height: 1.2; }
  .site-search button { padding: .15rem .7rem; }
  .lang-switch { order: 4; }
  main { padding: 1rem 1rem 2.5rem; }
  .site-footer { padding: 1rem; }
  table.stack, table:has(td[data-label]) { display: block; }
  :is(table.stack, table:has(td[data-label])) :is(tbody, tfoot, tr, th, td) { display: block; width: auto; }
  :is(table.stack, table:has(td[data-label])) caption { display: block; text-align: left; font-weight: 600; }
  :is(table.stack, table:has(td[data-label])) thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  :is(table.stack, table:has(td[data-label])) tr { border-bottom: 1px solid var(--line); padding: .5rem 0; }
  :is(table.stack, table:has(td[data-label])) :is(th, td) { border: 0; padding: .15rem 0; overflow-wrap: anywhere; }
  :is(table.stack, table:has(td[data-label])) tfoot tr { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 0 1rem; }
  td[data-label]::before { content: attr(data-label) ": "; content: attr(data-label) ": " / ""; font-weight: 600; }
  :is(table.stack, table:has(td[data-label])) td:empty { display: none; }
  table.stack th .recipient-company { font-weight: normal; }
  .site-header button { padding: .2rem .7rem; }
  .basket-lines .basket-product { font-weight: 600; }
  .basket-lines .basket-remove { padding-top: .4rem; }
  .key-box code.licence-key { font-size: .9rem; letter-spacing: 0; }
  /* Long German compounds ("Wiederherstellungscodes") fit the line instead of breaking between two letters. */
  main h1 { font-size: 1.45rem; hyphens: auto; }
  main figure { margin: 1rem 0; }
  main dl:not(:has(> div)) { grid-template-columns: minmax(0, 1fr); gap: 0; }
  main dl:not(:has(> div)) > dd { grid-column: 1; margin-bottom: .4rem; }
  .shop-filter:not(:has(> div, > fieldset)) { grid-template-columns: minmax(0, 1fr); gap: .3rem; }
  .shop-filter:not(:has(> div, > fieldset)) > :not(label) { grid-column: 1; }
  .product-images > li { display: block; }
  .product-images > li > img { max-width: 12rem; margin-bottom: .5rem; }
  .product-images > li > form.inline { display: inline-block; margin: .25rem .5rem 0 0; }
  .product-gallery img { height: 6rem; }
}
/* Up to small laptops: a table that does not stack (no class "stack", no data-label) scrolls inside its own box
   instead of making the whole page scroll sideways. */
@media (max-width: 64rem) {
  /* position: the visually hidden labels inside it are clipped with it instead of widening the page. */
  main table:not(.stack):not(:has(td[data-label])) { display: block; position: relative; max-width: 100%; overflow-x: auto; }
}
/* Printing (the record of processing for the DPO): the page's content only, no navigation, banner or footer. */
@media print {
  .skip-link, .site-header, .site-footer, .console-nav, .consent-banner { display: none !important; }
  .processing-record section { break-inside: avoid; }
  main table { display: table !important; overflow: visible !important; }
}
`;
