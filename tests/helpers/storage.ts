import { afterAll, beforeAll } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { stopLocalS3 } from "@/lib/files/storage/local-server";
import { resetStorageForTests, storage } from "@/lib/files/storage/s3";

/**
 * Give the test file a real S3-compatible server over HTTP: the embedded local server
 * (@20minutes/s3rver) on a free loopback port with a throw-away folder, or the store at
 * S3_ENDPOINT when the environment sets one (e.g. MinIO). Returns `{ endpoint }` once started.
 */
export function useTestStorage(): { endpoint: string } {
  const ctx = { endpoint: "" };
  beforeAll(async () => {
    if (!process.env.S3_ENDPOINT) process.env.S3_LOCAL_PORT = "0";
    resetEnvForTests();
    resetStorageForTests();
    ctx.endpoint = (await storage()).endpoint;
  });
  afterAll(async () => {
    resetStorageForTests();
    await stopLocalS3();
  });
  return ctx;
}
