import { describe, expect, it } from "vitest";
import { fromHalf, toHalf, readContainer, writeContainer } from "./binary";

describe("binary container", () => {
  it("float16 round trip keeps ~3 significant digits", () => {
    for (const x of [0, 1, -1, 0.5, 3.14159, -0.0123, 65504, 1e-5, 123.456]) {
      expect(Math.abs(fromHalf(toHalf(x)) - x)).toBeLessThanOrEqual(Math.abs(x) * 1e-3 + 1e-7);
    }
    expect(fromHalf(toHalf(1e6))).toBe(Infinity);
  });

  it("writes and reads sections and meta", () => {
    const buf = writeContainer(
      { hello: "world" },
      {
        a: { dtype: "f32", data: Float32Array.from([1.5, -2]) },
        b: { dtype: "f16", data: Float32Array.from([0.25, 8]) },
        c: { dtype: "i32", data: Int32Array.from([7, 9, 11]) },
        t: { dtype: "text", data: "héllo\nworld" },
      },
    );
    const c = readContainer(buf);
    expect(c.meta).toEqual({ hello: "world" });
    expect(Array.from(c.f32("a"))).toEqual([1.5, -2]);
    expect(Array.from(c.f32("b"))).toEqual([0.25, 8]);
    expect(Array.from(c.i32("c"))).toEqual([7, 9, 11]);
    expect(c.text("t")).toBe("héllo\nworld");
    expect(() => c.f32("missing")).toThrow(/missing/);
    expect(() => readContainer(new Uint8Array(20))).toThrow(/magic/);
  });
});
