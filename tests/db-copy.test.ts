import { describe, expect, it } from "vitest";
import { copyRows, queryPrepared } from "@/db/client";
import { useTestDb } from "./helpers/db";

const t = useTestDb();

describe("copyRows (COPY … FROM STDIN / blob) on both drivers", () => {
  it("loads rows with nulls, numbers and text needing escapes, inside a transaction too", async () => {
    await queryPrepared(t.db, "CREATE TABLE copy_probe (a text, b int, c text)", []);
    const nasty = "tab\there\nnew line\\back\\slash\r\\N not null";
    await copyRows(t.db, "copy_probe", ["a", "b", "c"], [
      ["plain", 1, null],
      [nasty, 2, "é ü 漢字"],
      ["", 3, "\\"],
    ]);
    await t.db.transaction((tx) => copyRows(tx, "copy_probe", ["a", "b", "c"], [["in tx", 4, null]]));
    const r = await queryPrepared<{ a: string; b: number; c: string | null }>(t.db, "SELECT a, b, c FROM copy_probe ORDER BY b", []);
    expect(r).toEqual([
      { a: "plain", b: 1, c: null },
      { a: nasty, b: 2, c: "é ü 漢字" },
      { a: "", b: 3, c: "\\" },
      { a: "in tx", b: 4, c: null },
    ]);
  });

  it("refuses identifiers that are not plain names", async () => {
    await expect(copyRows(t.db, "copy_probe; DROP TABLE users", ["a"], [["x"]])).rejects.toThrow(/bad identifier/);
  });
});
