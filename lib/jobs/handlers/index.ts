import type { JobHandler } from "../registry";
import { processUploadJob } from "./process-upload";
import { requesterConfirmationMail } from "./requester-confirmation-mail";

/**
 * Every job handler of the app, subscribed to domain events. Add a handler here and it gets
 * its queue, dead-letter queue and workers in every worker process.
 */
export const JOB_HANDLERS: readonly JobHandler[] = [requesterConfirmationMail, processUploadJob];
