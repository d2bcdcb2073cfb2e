import { ACCESS } from "./access";
import { ADMIN_RIGHTS } from "./admin-rights";
import { HARDWARE } from "./hardware";
import { HR_SUPPORT } from "./hr-support";
import { INTERNAL_PROJECT } from "./internal-project";
import { MISCELLANEOUS } from "./miscellaneous";
import { PURCHASE } from "./purchase";
import { STORAGE } from "./storage";
import type { DemoTicket } from "./types";
import { WORKPLACE } from "./workplace";

/** The hand-written demo desk, every category (titles and descriptions are unique: tests/demo/desk.test.ts). */
export const DEMO_TICKETS: readonly DemoTicket[] = [
  ...HARDWARE,
  ...ACCESS,
  ...HR_SUPPORT,
  ...MISCELLANEOUS,
  ...STORAGE,
  ...PURCHASE,
  ...INTERNAL_PROJECT,
  ...ADMIN_RIGHTS,
  ...WORKPLACE,
];
