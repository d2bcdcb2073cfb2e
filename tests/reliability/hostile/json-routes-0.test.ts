import { useTestDb } from "../../helpers/db";
import { defineHostileJsonSuite } from "./_json-routes";

/* Hostile JSON over every JSON route, half 1 of 2 (the suite is in _json-routes.ts). */
const testDb = useTestDb();
defineHostileJsonSuite({ part: 0, parts: 2, getDb: () => testDb.db });
