// Browser entry, bundled by buildCmpApiScript() in tcf.ts: serves the IAB TCF `__tcfapi` from the TC string the server
// put on this script's own tag (data-cmp-id, data-cmp-version, data-tc-string, data-ui-visible when the banner shows). Must run as a classic script, not a module,
// so that document.currentScript is set; an empty TC string means GDPR applies and nothing is consented yet.
import { CmpApi } from '@iabtcf/cmpapi';

const data = document.currentScript?.dataset;
if (!data) throw new Error('Candor TCF: document.currentScript is not set; load this file with a classic <script> tag');

const cmpApi = new CmpApi(Number(data.cmpId), Number(data.cmpVersion), true);
cmpApi.update(data.tcString || '', data.uiVisible === 'true');
