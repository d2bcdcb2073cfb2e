import { beforeAll, describe, it } from "vitest";
import { useTestDb } from "../helpers/db";
import { defineRouteMatrix } from "./authz-routes";

/* Authorization matrix over every API route (half 2 of the route files; see authz-routes.ts). */
const testDb = useTestDb();
defineRouteMatrix({ part: 1, parts: 2, getDb: () => testDb.db, describe, it, beforeAll });
