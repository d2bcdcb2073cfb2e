import { useTestDb } from "../../helpers/db";
import { defineHostileJsonSuite } from "./_json-routes";

/* Hostile JSON over every JSON route, half 2 of 2 (the suite is in _json-routes.ts). */
const testDb = useTestDb();
defineHostileJsonSuite({ part: 1, parts: 2, getDb: () => testDb.db });
