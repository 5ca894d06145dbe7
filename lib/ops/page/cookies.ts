/** Cookies of a `Cookie` header, first value of each name winning. Malformed pieces are skipped. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const piece of (header ?? '').split(/; */)) {
    const at = piece.indexOf('=');
    if (at <= 0) continue;
    const name = piece.slice(0, at).trim();
    if (!out.has(name)) out.set(name, piece.slice(at + 1).trim());
  }
  return out;
}

export interface CookieOptions {
  /** Seconds; 0 deletes the cookie. */
  readonly maxAge: number;
  /** The `Path` attribute. */
  readonly path: string;
  /** `Secure`: everywhere except plain-HTTP loopback. */
  readonly secure: boolean;
}

/** A `Set-Cookie` value: always HttpOnly and SameSite=Strict. */
export function setCookie(name: string, value: string, o: CookieOptions): string {
  const parts = [`${name}=${value}`, `Path=${o.path}`, `Max-Age=${o.maxAge}`, 'HttpOnly', 'SameSite=Strict'];
  if (o.secure) parts.push('Secure');
  return parts.join('; ');
}

/** Hosts where a cookie without `Secure` is acceptable (a local run over plain HTTP). */
export function isLoopbackHost(host: string | undefined): boolean {
  const name = (host ?? '').replace(/:\d+$/, '').toLowerCase();
  return name === 'localhost' || name === '127.0.0.1' || name === '[::1]' || name.endsWith('.localhost');
}
