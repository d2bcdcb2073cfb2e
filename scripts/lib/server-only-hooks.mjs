/**
 * Module resolve hook for scripts run with tsx (see server-only-register.mjs): `server-only`
 * resolves as under the react-server condition (its empty module), while every other package
 * resolves normally. Turning the react-server condition on for the whole process would give
 * react-dom/server's stub that throws ("not supported in React Server Components"), and mail
 * templates (React Email) render with react-dom/server.
 */
export async function resolve(specifier, context, next) {
  if (specifier === "server-only") return next(specifier, { ...context, conditions: ["react-server", ...context.conditions] });
  return next(specifier, context);
}
