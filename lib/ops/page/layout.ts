import { escapeHtml } from './escapeHtml';

/** Inline style: system fonts, high contrast (4.5:1 or more), cards that stack on a phone. */
const CSS = `
:root{color-scheme:light;--fg:#1a1a1a;--muted:#4a4a4a;--line:#c8c8c8;--bad:#a4001d;--warn:#7a4d00;--ok:#1d5e20;
--link:#0a4da3;--bg:#fff;--panel:#f4f5f7}
*{box-sizing:border-box}body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
color:var(--fg);background:var(--bg);overflow-wrap:anywhere}
a{color:var(--link)}a:focus-visible,button:focus-visible,input:focus-visible,
select:focus-visible,summary:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;z-index:2}
header{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;justify-content:space-between;padding:10px 16px;
background:#16325c;color:#fff}header h1{font-size:1.2rem;margin:0}header a{color:#fff}
main{padding:12px 16px;max-width:1200px;margin:0 auto}h2{font-size:1.15rem;margin:20px 0 8px}
h3{font-size:1rem;margin:0 0 6px}.muted{color:var(--muted)}.bad{color:var(--bad);font-weight:600}
.warn{color:var(--warn);font-weight:600}.ok{color:var(--ok)}
.summary{display:flex;flex-wrap:wrap;gap:8px 20px;margin:8px 0;padding:0;list-style:none}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:12px}
.card{border:1px solid var(--line);border-radius:6px;padding:10px 12px;background:var(--panel)}
.card dl{display:grid;grid-template-columns:auto 1fr;gap:2px 10px;margin:6px 0}.card dt{color:var(--muted)}
.card dd{margin:0}ul.tasks{margin:4px 0;padding-left:18px}form.inline{display:inline}
fieldset{border:1px solid var(--line);border-radius:6px;margin:0 0 12px;padding:10px 12px}
.row{display:flex;flex-wrap:wrap;gap:8px 12px;align-items:end}label{display:block;font-weight:600;font-size:.9rem}
input,select,button{font:inherit;padding:6px 8px;border:1px solid #767676;border-radius:4px;background:#fff;
color:var(--fg);min-height:40px;max-width:100%}
.row>div{max-width:100%}button{background:#16325c;color:#fff;border-color:#16325c;cursor:pointer}
button.secondary{background:#fff;color:#16325c}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
pre{background:var(--panel);border:1px solid var(--line);padding:10px;overflow:auto;max-width:100%;white-space:pre-wrap;
word-break:break-word}nav.pages{display:flex;gap:12px;align-items:center;margin:12px 0}
.inline-label{display:inline}.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
@media (max-width:600px){main{padding:8px}.grid{grid-template-columns:1fr}table,thead,tbody,tr,th,td{display:block}
thead{display:none}td{border:0;padding:2px 0}tr{border-bottom:1px solid var(--line);padding:6px 0}}
`;

/**
 * Shows every `<time datetime>` in the viewer's time zone, the UTC time on hover (`title`; the server
 * renders UTC, which is what a reader without script sees). Refreshes `<main>` every REFRESH seconds
 * from the same URL while nobody is typing in a form, and says so in a live region; the checkbox
 * turns it off. No framework, no external file. Only the `<main>` element of the answer is parsed:
 * parsing the whole document would apply its `<style>`, whose nonce is the new response's and not
 * this page's, and the CSP refuses it (a console error on every refresh, issue 20 item 8).
 */
const SCRIPT = `
(function(){function local(){var ts=document.querySelectorAll('time[datetime]');for(var i=0;i<ts.length;i++){
var t=ts[i],d=new Date(t.getAttribute('datetime'));if(isNaN(d.getTime())||t.title)continue;
t.title=d.toISOString().slice(0,19).replace('T',' ')+' UTC';t.textContent=d.toLocaleString()}}
local();
var box=document.getElementById('autorefresh');var out=document.getElementById('refresh-status');
if(!box||!out)return;var secs=Number(box.getAttribute('data-seconds'))||30;
function typing(){var a=document.activeElement;return a&&/^(INPUT|SELECT|TEXTAREA)$/.test(a.tagName)}
function tick(){if(!box.checked||typing()||document.hidden)return;
fetch(location.href,{credentials:'same-origin',headers:{'Accept':'text/html'}}).then(function(r){
if(r.status!==200){out.textContent='Refresh failed ('+r.status+')';return null}return r.text()}).then(function(t){
if(t===null)return;var a=t.indexOf('<main'),b=t.lastIndexOf('</main>');
if(a<0||b<a){out.textContent='Refresh failed';return}
var d=new DOMParser().parseFromString(t.slice(a,b+7),'text/html');var m=d.querySelector('main');
var here=document.querySelector('main');if(m&&here){here.innerHTML=m.innerHTML;local();
out.textContent='Updated '+new Date().toLocaleTimeString()}}).catch(function(){out.textContent='Refresh failed'})}
setInterval(tick,secs*1000)})();
`;

export interface LayoutInput {
  readonly title: string;
  readonly nonce: string;
  /** Trusted HTML (every value in it already escaped). */
  readonly header: string;
  readonly main: string;
  readonly script: boolean;
}

/** The HTML document around a page's content. */
export function layout(p: LayoutInput): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(p.title)}</title><link rel="icon" href="data:,"><style nonce="${p.nonce}">${CSS}</style></head>
<body><a class="skip" href="#main">Skip to content</a>
<header>${p.header}</header>
<main id="main" tabindex="-1">${p.main}</main>
${p.script ? `<script nonce="${p.nonce}">${SCRIPT}</script>` : ''}
</body></html>`;
}

/** The page's security headers: a strict CSP with this response's nonce, no framing, no caching. */
export function htmlHeaders(nonce: string): Record<string, string> {
  return {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy':
      `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; connect-src 'self'; ` +
      "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  };
}
