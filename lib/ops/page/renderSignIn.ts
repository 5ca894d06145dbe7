import { escapeHtml as e } from './escapeHtml';

/** The only thing shown without a session: the token goes in a POST body, never in a URL. */
export function renderSignInMain(action: string, problem?: string): string {
  return `<h2>Sign in</h2>
${problem ? `<p class="bad" role="alert">${e(problem)}</p>` : ''}
<form method="post" action="${e(action)}"><fieldset><legend>Bearer token</legend>
<label for="token">Token (the one callers of the API use)</label>
<input id="token" name="token" type="password" required autocomplete="current-password" minlength="16" size="40">
<p><button type="submit">Sign in</button></p>
<p class="muted">The token is exchanged for a session cookie that lasts one hour; it is never stored in the page.</p>
</fieldset></form>`;
}

/** A short HTML error page body (the message is one of ours, escaped all the same). */
export function renderErrorMain(status: number, message: string, requestId: string, home: string): string {
  return `<h2>${status}</h2><p role="alert">${e(message)}</p>
<p class="muted">Request id ${e(requestId)}</p><p><a href="${e(home)}">Back to the fleet</a></p>`;
}
