import { z } from "zod";

/** GET /api/dashboard/backlog takes no parameters (strict: any parameter is a 400). */
export const BacklogQuerySchema = z.strictObject({});
