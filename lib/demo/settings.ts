import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { appSettings } from "@/db/schema";

/** app_settings key marking an install seeded by `npm run demo` (the sign-in page then shows the demo accounts). */
export const DEMO_SETTING_KEY = "demo";

/** True when this database was seeded with the published demo accounts (app_settings `demo` = true). */
export async function isDemoInstall(db: DbOrTx): Promise<boolean> {
  const [row] = await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, DEMO_SETTING_KEY)).limit(1);
  return row?.value === true;
}
