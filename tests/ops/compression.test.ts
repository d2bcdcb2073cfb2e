import { describe, expect, it } from "vitest";
import { compressionMismatch } from "@/lib/http/compression";

describe("HTTP_COMPRESSION against the build's next.config", () => {
  it("`next start` reads next.config.ts at start: never a mismatch", () => {
    expect(compressionMismatch("off", undefined)).toBeNull();
    expect(compressionMismatch("on", undefined)).toBeNull();
  });

  it("a standalone build that agrees is quiet (Next's default compress is on)", () => {
    expect(compressionMismatch("on", JSON.stringify({ compress: true }))).toBeNull();
    expect(compressionMismatch("on", JSON.stringify({}))).toBeNull();
    expect(compressionMismatch("off", JSON.stringify({ compress: false }))).toBeNull();
  });

  it("a standalone build made the other way is named, with the build arg that fixes it", () => {
    expect(compressionMismatch("off", JSON.stringify({ compress: true }))).toMatch(/HTTP_COMPRESSION=off has no effect.*compression on.*--build-arg HTTP_COMPRESSION=off/);
    expect(compressionMismatch("on", JSON.stringify({ compress: false }))).toMatch(/HTTP_COMPRESSION=on has no effect.*compression off/);
  });

  it("unreadable config JSON is not a start-up failure", () => {
    expect(compressionMismatch("off", "{not json")).toBeNull();
  });
});
