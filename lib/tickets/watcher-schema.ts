import { z } from "zod";

/** Body of POST/DELETE `/api/tickets/{key}/watchers`: one address (RFC 5321 length limit 254), lower-cased. */
export const WatcherBodySchema = z.object({ email: z.string().trim().toLowerCase().max(254).email() }).strict();
export type WatcherBody = z.infer<typeof WatcherBodySchema>;
