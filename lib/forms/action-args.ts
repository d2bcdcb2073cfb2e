/*
 * Reading a server action's arguments. A server action is an open endpoint: a hand-crafted
 * `Next-Action` call may pass anything in any position (a string, a number, a plain object
 * where the page passes FormData or an id), so actions read their arguments through these
 * instead of trusting the declared types. Tested by tests/reliability/hostile/server-actions.test.ts.
 */

/** `input` when it is FormData, else an empty form (so a wrong shape reads as missing fields). */
export function asFormData(input: unknown): FormData {
  return input instanceof FormData ? input : new FormData();
}

/** Field `name` of a form argument as a string: "" when absent, a file, or not a form at all. */
export function formField(input: unknown, name: string): string {
  const v = input instanceof FormData ? input.get(name) : null;
  return typeof v === "string" ? v : "";
}

/**
 * A bound string argument of a server action (an id, ticket key, slug or day the page bound
 * with `.bind`): the string, or "" for anything else. A crafted call may bind an object (JSON
 * may carry one whose own `toString` is not a function, which throws when coerced); services
 * answer "" with their not-found error.
 */
export function textArg(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/** A bound integer argument (a row id): the number when it is a safe integer, else 0 (no row has it). */
export function intArg(v: unknown): number {
  return typeof v === "number" && Number.isSafeInteger(v) ? v : 0;
}
