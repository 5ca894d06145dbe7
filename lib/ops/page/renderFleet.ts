import type { TestSendResult } from '../../notify/deliver/sendTest';
import { REFRESH_SECONDS, SILENCE_DURATIONS_MINUTES } from './constants';
import { escapeHtml as e } from './escapeHtml';
import type { Silence } from './silences';
import type { FleetView, InstanceView, RunningTask } from './types';

/** Where the page's links and forms point, and the session's CSRF token. */
export interface PageContext {
  /** The page's own path (`{stage prefix}/ops/v1/fleet`), already checked to be safe characters. */
  readonly base: string;
  readonly csrf: string;
}

export function taskHref(base: string, projectId: string, instanceId: string, taskId: string): string {
  return `${base}/tasks/${[projectId, instanceId, taskId].map(encodeURIComponent).join('/')}`;
}

function durationLabel(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 1440) return `${Math.floor(minutes / 60)} h ${minutes % 60 ? `${minutes % 60} min` : ''}`.trim();
  const days = Math.floor(minutes / 1440);
  return `${days} d ${Math.floor((minutes % 1440) / 60)} h`;
}

function timeTag(iso: string | undefined, empty = 'never'): string {
  if (!iso) return `<span class="muted">${e(empty)}</span>`;
  return `<time datetime="${e(iso)}">${e(iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z'))}</time>`;
}

/** ` STUCK, 3 h past its 2 h threshold` for a stuck task, else nothing. */
function stuckLabel(t: RunningTask): string {
  if (t.stuckOverMinutes === undefined) return '';
  return ` <strong class="bad stuck">STUCK</strong>, ${e(durationLabel(t.stuckOverMinutes))} past its ${e(
    durationLabel(t.stuckAfterMinutes),
  )} threshold`;
}

function csrfField(ctx: PageContext): string {
  return `<input type="hidden" name="csrf" value="${e(ctx.csrf)}">`;
}

function instanceCard(i: InstanceView, silences: readonly Silence[], ctx: PageContext): string {
  const running =
    i.running.length === 0
      ? '<span class="muted">none</span>'
      : `<ul class="tasks">${i.running
          .map(
            (t) =>
              `<li><a href="${e(taskHref(ctx.base, i.projectId, i.instanceId, t.id))}">${e(t.name)}</a> ` +
              `<span class="warn">${e(t.status)}</span> for ${e(durationLabel(t.runningMinutes))}${stuckLabel(t)}</li>`,
          )
          .join('')}</ul>`;
  const failures =
    i.recentFailures.length === 0
      ? ''
      : `<ul class="tasks">${i.recentFailures
          .map(
            (t) =>
              `<li><a href="${e(taskHref(ctx.base, i.projectId, i.instanceId, t.id))}">${e(t.name)}</a> ` +
              `${timeTag(t.createdAt)}</li>`,
          )
          .join('')}${i.moreFailures > 0 ? `<li class="muted more">+${i.moreFailures} more</li>` : ''}</ul>`;
  const n = i.notifications;
  const applied = silences.filter((s) => i.silenceIds.includes(s.id));
  const silenceList =
    applied.length === 0 ? '<span class="muted">none</span>' : applied.map((s) => e(s.comment)).join('; ');
  const more = i.truncated ? ' <span class="muted">(at least: listing cut)</span>' : '';
  return `<article class="card" aria-labelledby="i-${e(i.instanceId)}">
<h3 id="i-${e(i.instanceId)}">${e(i.name)} <span class="muted">${e(i.instanceId)}</span></h3>
${i.liveError ? `<p class="bad" role="status">Live listing failed: ${e(i.liveError)}</p>` : ''}
<dl><dt>Last scanned</dt><dd>${timeTag(i.lastScanAt)}</dd>
<dt>Running</dt><dd>${running}</dd>
<dt>Failures</dt><dd><span class="${i.failures24h > 0 ? 'bad' : ''}">${i.failures24h} in 24 h</span>,
 ${i.failures7d} in 7 d${more}${failures}</dd>
<dt>Notifications</dt><dd>${n.pending} pending, <span class="${n.dead > 0 ? 'bad' : ''}">${n.dead} dead</span>,
 ${n.silenced} silenced, ${n.delivered} delivered</dd>
<dt>Silences</dt><dd>${silenceList}</dd></dl>
</article>`;
}

/** Matcher values, or "any" when the list is empty. */
function list(values: readonly string[]): string {
  return values.length === 0 ? '<span class="muted">any</span>' : values.map((v) => e(v)).join(', ');
}

/** ` (project a, b)` when the silence names some, else nothing. */
function scoped(label: string, values: readonly string[]): string {
  return values.length === 0 ? '' : ` (${label} ${list(values)})`;
}

/** The expire button of an API silence; a configured one is changed in the configuration only. */
function expireCell(s: Silence, ctx: PageContext): string {
  if (s.source === 'config') return '<span class="muted">configured</span>';
  return `<form class="inline" method="post"
 action="${e(ctx.base)}/silences/${e(encodeURIComponent(s.id))}/expire">${csrfField(ctx)}
<button type="submit" class="secondary" aria-label="Expire silence ${e(s.comment)}">Expire</button></form>`;
}

function silencesSection(v: FleetView, ctx: PageContext): string {
  const rows = v.silences
    .map(
      (s) => `<tr><td>${list(s.matchers.instances)}${scoped('project', s.matchers.projects)}</td>
<td>${list(s.matchers.tasks)}${scoped('events', s.matchers.events)}</td><td>${timeTag(s.endsAt)}</td>
<td>${e(s.createdBy)}</td><td>${e(s.comment)}</td><td>${expireCell(s, ctx)}</td></tr>`,
    )
    .join('');
  const table =
    v.silences.length === 0
      ? '<p class="muted">No silence in force.</p>'
      : `<table><caption class="sr">Silences in force</caption><thead><tr><th scope="col">Instance</th>
<th scope="col">Task names</th><th scope="col">Ends</th><th scope="col">By</th><th scope="col">Comment</th>
<th scope="col"><span class="sr">Action</span></th></tr></thead><tbody>${rows}</tbody></table>`;
  const options = SILENCE_DURATIONS_MINUTES.map(
    (m) => `<option value="${m}"${m === 120 ? ' selected' : ''}>${e(durationLabel(m))}</option>`,
  ).join('');
  return `<section aria-labelledby="silences-h"><h2 id="silences-h">Silences</h2>${table}
<form method="post" action="${e(ctx.base)}/silences">${csrfField(ctx)}
<fieldset><legend>New silence</legend><div class="row">
<div><label for="s-instance">Instance id or name</label><input id="s-instance" name="instance" maxlength="64"
 autocomplete="off" aria-describedby="s-help"></div>
<div><label for="s-task">Task-name glob</label><input id="s-task" name="task" maxlength="64" placeholder="restart*"
 autocomplete="off" aria-describedby="s-help"></div>
<div><label for="s-minutes">Duration</label><select id="s-minutes" name="minutes">${options}</select></div>
<div><label for="s-by">Your name</label>
<input id="s-by" name="createdBy" required maxlength="64" autocomplete="name"></div>
<div><label for="s-comment">Comment</label><input id="s-comment" name="comment" required maxlength="500"></div>
<div><button type="submit">Create silence</button></div></div>
<p id="s-help" class="muted">Give an instance, a task-name glob (<code>*</code> is any run of characters), or both.</p>
</fieldset></form></section>`;
}

function pager(v: FleetView, ctx: PageContext): string {
  const href = (page: number): string => {
    const q = new URLSearchParams();
    if (v.query) q.set('q', v.query);
    q.set('page', String(page));
    return `${ctx.base}?${q.toString()}`;
  };
  const prev = v.page > 1 ? `<a href="${e(href(v.page - 1))}" rel="prev">Previous</a>` : '';
  const next = v.page < v.pages ? `<a href="${e(href(v.page + 1))}" rel="next">Next</a>` : '';
  return `<nav class="pages" aria-label="Pages">${prev}<span>Page ${v.page} of ${v.pages}</span>${next}</nav>`;
}

/** A configured destination as the page lists it (never its URL). */
export interface PageDestination {
  readonly id: string;
  readonly type: string;
}

/** One "Send test" form per destination (session and CSRF like the silence forms). */
function destinationsSection(destinations: readonly PageDestination[], ctx: PageContext): string {
  if (destinations.length === 0) return '';
  const rows = destinations
    .map(
      (d) => `<tr><td>${e(d.id)}</td><td>${e(d.type)}</td><td><form class="inline" method="post"
 action="${e(ctx.base)}/destinations/${e(encodeURIComponent(d.id))}/test">${csrfField(ctx)}
<button type="submit" class="secondary" aria-label="Send a test notification to ${e(d.id)}">Send test</button>
</form></td></tr>`,
    )
    .join('');
  return `<section aria-labelledby="dest-h"><h2 id="dest-h">Destinations</h2>
<table><caption class="sr">Destinations</caption><thead><tr><th scope="col">Destination</th><th scope="col">Type</th>
<th scope="col"><span class="sr">Action</span></th></tr></thead><tbody>${rows}</tbody></table>
<p class="muted">A test is one marked notification, recorded in the history; one per destination every 10 s.</p>
</section>`;
}

/** The answer of a "Send test": the receiver's status, its reason, the time taken and when. */
export function renderTestResultMain(r: TestSendResult, ctx: PageContext): string {
  const verdict = r.delivered ? 'Delivered' : `Not delivered: ${e(r.reason)}`;
  return `<h2>Test notification to ${e(r.destinationId)} <span class="muted">(${e(r.type)})</span></h2>
<p role="status" class="${r.delivered ? 'ok' : 'bad'}">${verdict}</p>
<dl class="result"><dt>Receiver status</dt>
<dd>${r.status === undefined ? '<span class="muted">no answer</span>' : r.status}</dd>
<dt>Time taken</dt><dd>${r.ms} ms</dd><dt>Sent</dt><dd>${timeTag(r.sentAt)}</dd>
<dt>History id</dt><dd><code>${e(r.id)}</code></dd></dl>
<p><a href="${e(ctx.base)}">Back to the fleet</a></p>`;
}

/** The fleet page's `<main>`: search, summary, instances by project, region and engine, silences, destinations. */
export function renderFleetMain(v: FleetView, ctx: PageContext, destinations: readonly PageDestination[] = []): string {
  // A group can appear twice (among those needing attention, then the others): its number keeps ids unique.
  const groups = v.groups
    .map(
      (g, n) => `<section aria-labelledby="g-${n}">
<h2 id="g-${n}">${e(g.engine)} in ${e(g.region)}
<span class="muted">project ${e(g.projectId)}</span></h2>
<div class="grid">${g.instances.map((i) => instanceCard(i, v.silences, ctx)).join('')}</div></section>`,
    )
    .join('');
  const shown = v.groups.reduce((n, g) => n + g.instances.length, 0);
  return `<form role="search" method="get" action="${e(ctx.base)}" class="row">
<div><label for="q">Search instances</label><input id="q" name="q" type="search" value="${e(v.query)}" maxlength="100"
 placeholder="name, id, project, region or engine"></div><div><button type="submit">Search</button></div></form>
<ul class="summary" aria-label="Summary">
<li>${v.matchingInstances} of ${v.totalInstances} instances${v.query ? ` match “${e(v.query)}”` : ''}</li>
<li>showing ${shown}</li>
<li>${v.pendingFleetWide}${v.pendingFleetWideCut ? '+' : ''} notifications pending in the fleet</li>
<li>${v.silences.length} silences in force</li><li class="muted">generated ${timeTag(v.generatedAt)},
${v.upstreamCalls} DMS calls, ${v.cachedInstances} from cache</li></ul>
${pager(v, ctx)}
${groups || '<p>No instance matches.</p>'}
${v.pages > 1 ? pager(v, ctx) : ''}
${silencesSection(v, ctx)}
${destinationsSection(destinations, ctx)}`;
}

/** The header of every signed-in page: title, auto refresh, sign out. */
export function signedInHeader(ctx: PageContext, withRefresh: boolean): string {
  const refresh = withRefresh
    ? `<div><input type="checkbox" id="autorefresh" checked data-seconds="${REFRESH_SECONDS}">
<label for="autorefresh" class="inline-label">Refresh every ${REFRESH_SECONDS} s</label>
<span id="refresh-status" role="status" aria-live="polite"></span></div>`
    : '';
  return `<h1><a href="${e(ctx.base)}">DMS fleet</a></h1>${refresh}
<form method="post" action="${e(ctx.base)}/logout" class="inline">${csrfField(ctx)}
<button type="submit" class="secondary">Sign out</button></form>`;
}
