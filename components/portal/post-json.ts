/** Outcome of {@link postJson}: the parsed body, or the API error's message. */
export type PostResult<T> = { ok: true; data: T } | { ok: false; status: number; message: string };

/**
 * POST a JSON body to one of our API routes with the session cookie and read the answer.
 * Errors come back as `{ok: false, message}` (the API's `{error: {message}}`, or a network
 * message), never thrown.
 */
export async function postJson<T>(url: string, body: unknown): Promise<PostResult<T>> {
  try {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), credentials: "same-origin" });
    const json = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    if (res.ok) return { ok: true, data: json as T };
    return { ok: false, status: res.status, message: json?.error?.message ?? `The request failed (HTTP ${res.status})` };
  } catch {
    return { ok: false, status: 0, message: "Could not reach the server. Check your connection and try again." };
  }
}
