// Must run before any Next module creates its AsyncLocalStorage singletons: import this helper FIRST.
import "next/dist/server/node-environment-baseline.js";
import { workAsyncStorage } from "next/dist/server/app-render/work-async-storage.external.js";
import { workUnitAsyncStorage } from "next/dist/server/app-render/work-unit-async-storage.external.js";
import { createRequestStoreForAPI } from "next/dist/server/async-storage/request-store.js";

/**
 * Run `fn` inside the request scope Next's server gives a route handler, so code that calls
 * `cookies()`/`headers()` from next/headers (next-auth's App Router handler does) works when a
 * test calls the handler in-process. Only what those two functions read is provided.
 */
export function withRequestScope<T>(req: Request, route: string, fn: () => Promise<T>): Promise<T> {
  const url = new URL(req.url);
  const workStore = { route, page: route, forceStatic: false, dynamicShouldError: false, isStaticGeneration: false } as never;
  const requestStore = createRequestStoreForAPI(
    { headers: Object.fromEntries(req.headers) } as never,
    { pathname: url.pathname, search: url.search } as never,
    [] as never,
    undefined as never,
    {} as never,
    undefined as never,
  );
  return workAsyncStorage.run(workStore, () => workUnitAsyncStorage.run(requestStore as never, fn));
}
