import { expect } from "vitest";
import type { Db } from "@/db/client";
import type { Role } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { createApiKey, principalFromApiKey } from "@/lib/auth/api-keys";
import { ApiError } from "@/lib/http/errors";
import type { Actor } from "../helpers/fixtures";

/** The session principal of a test actor (makeActor names users after their e-mail's local part). */
export function sessionOf(a: Actor, role: Role): Principal {
  return { kind: "user", id: a.id, role, userId: a.id, email: a.email, label: a.email.split("@")[0] };
}

/** A principal for a new API key not tied to a person (an integration), optionally with a default requester e-mail. */
export async function integrationKey(db: Db, name: string, role: Role, defaultEmail: string | null = null): Promise<Principal> {
  const k = await createApiKey(db, { name, role, defaultEmail });
  return (await principalFromApiKey(db, k.key))!;
}

/** The ApiError a promise rejects with (fails the test when it resolves or throws something else). */
export async function rejection(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}
