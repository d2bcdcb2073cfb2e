import { AsyncLocalStorage } from "node:async_hooks";
import crypto from "node:crypto";

/**
 * The request id of the work in progress: set by `route()` for each HTTP request (taken from an
 * incoming `X-Request-Id` when it is a sane token, else a new UUID), carried into jobs in their
 * payload (`requestId`), and sent on outgoing HTTP calls as `X-Request-Id`. Log lines written
 * inside the context carry it (pino mixin in logger.ts).
 */
export interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Incoming ids are accepted when they are 1–128 characters of `[A-Za-z0-9._:-]`. */
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A request id from an incoming header value, or a new UUID when absent or not sane. */
export function requestIdFrom(header: string | null | undefined): string {
  return header && SANE_ID.test(header) ? header : crypto.randomUUID();
}

/** Run `fn` with `requestId` as the current request id. */
export function withRequestId<T>(requestId: string, fn: () => T): T {
  return storage.run({ requestId }, fn);
}

/** The current request id, or undefined outside any request or job. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/**
 * `{"X-Request-Id": id}` for an outgoing HTTP call made inside a request or job, or `{}`
 * outside any (spread it into the call's headers).
 */
export function requestIdHeaders(): Record<string, string> {
  const id = currentRequestId();
  return id ? { "X-Request-Id": id } : {};
}
