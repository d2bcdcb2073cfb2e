import "server-only";
import { getDb } from "@/db/client";
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
};
