import "server-only";
import { getDb } from "@/db/client";
import { markFailed } from "@/lib/files/process/fail";
import { processUpload } from "@/lib/files/process/process-upload";
import type { JobHandler } from "../registry";

/**
 * Sheet processing (serials, compliance, employees) after an upload passed its content check
 * (`upload.completed`). A long job: it commits progress as it goes and is restartable
 * (lib/files/process/process-upload.ts). Big sheets take seconds to minutes: 30 min expiry.
 */
export const processUploadJob: JobHandler = {
  name: "process-upload",
  mode: "long",
  events: ["upload.completed"],
  filter: (e) => e.payload.kind !== "attachment",
  retryLimit: 5,
  retryDelayS: 10,
  expireInS: 30 * 60,
  run: async (event) => {
    await processUpload(await getDb(), String(event.payload.uploadId));
  },
  // Retries exhausted (storage or database down for a long time): say so on the upload.
  onDeadLetter: async (event, { db }) => {
    await markFailed(db, String(event.payload.uploadId), {
      code: "processing_unavailable",
      message: "The file could not be processed because storage or the database was unavailable; upload it again",
    });
  },
};
