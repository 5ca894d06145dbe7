import { escapeHtml as e } from './escapeHtml';
import type { PageContext } from './renderFleet';
import type { TaskView } from './types';

const FIELD_ORDER = ['id', 'name', 'status', 'user_name', 'user_id', 'created_at', 'updated_at'];

/** `params` as readable JSON when it parses, else upstream's text as it is. */
export function prettyParams(params: string): string {
  if (params.trim() === '') return '';
  try {
    return JSON.stringify(JSON.parse(params), null, 2);
  } catch {
    return params;
  }
}

/** The task view's `<main>`: its fields, `params`, and its notifications with their attempts. */
export function renderTaskMain(v: TaskView, ctx: PageContext): string {
  const names = [
    ...FIELD_ORDER.filter((k) => k in v.task),
    ...Object.keys(v.task).filter((k) => !FIELD_ORDER.includes(k)),
  ];
  const fields = names
    .filter((k) => k !== 'params')
    .map((k) => `<tr><th scope="row">${e(k)}</th><td>${e(v.task[k])}</td></tr>`)
    .join('');
  const notes =
    v.notifications.length === 0
      ? '<p class="muted">No notification recorded for this task.</p>'
      : `<table><caption class="sr">Notifications</caption><thead><tr><th scope="col">Destination</th>
<th scope="col">Event</th><th scope="col">State</th><th scope="col">Attempts</th><th scope="col">Queued</th>
<th scope="col">Done or next attempt</th><th scope="col">Last answer</th></tr></thead><tbody>${v.notifications
          .map(
            (n) => `<tr><td>${e(n.destination)}</td><td>${e(n.event)}</td>
<td class="${n.state === 'dead' ? 'bad' : n.state === 'delivered' ? 'ok' : ''}">${e(n.state)}</td><td>${n.attempts}</td>
<td>${e(n.createdAt ?? '')}</td><td>${e(n.doneAt ?? n.nextAttemptAt ?? '')}</td>
<td>${e(n.lastError ?? (n.silencedBy ? `silenced by ${n.silencedBy}` : ''))}</td></tr>`,
          )
          .join('')}</tbody></table>`;
  return `<p><a href="${e(ctx.base)}">Back to the fleet</a></p>
<h2>Task ${e(v.task.name ?? '')} on ${e(v.instanceName)}</h2>
<table><caption class="sr">Task fields</caption><tbody>${fields}
<tr><th scope="row">project</th><td>${e(v.projectId)}</td></tr>
<tr><th scope="row">instance</th><td>${e(v.instanceId)}</td></tr>
<tr><th scope="row">silences in force</th><td>${v.silenceIds.length}</td></tr></tbody></table>
<h2>Parameters</h2>${v.params ? `<pre>${e(v.params)}</pre>` : '<p class="muted">none</p>'}
<h2>Notifications</h2>${notes}`;
}
