/**
 * Moved to lib/forms/form-state.ts (server actions and client forms share it). This re-export
 * remains only for components/auth/setup-form.tsx and app/setup/actions.ts until they import
 * "@/lib/forms/form-state"; then delete this file.
 */
export * from "@/lib/forms/form-state";
