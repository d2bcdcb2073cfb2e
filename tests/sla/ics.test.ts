import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/http/errors";
import { parseIcsHolidays } from "@/lib/sla/admin/ics";

const fixture = fs.readFileSync(path.join(__dirname, "../fixtures/ics/holidays.ics"), "utf8");
const NOW = new Date("2026-06-15T10:00:00Z");

const cal = (...lines: string[]) => ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN", ...lines, "END:VCALENDAR"].join("\r\n");
const vevent = (...lines: string[]) => ["BEGIN:VEVENT", "UID:x@t", "DTSTAMP:20260101T000000Z", ...lines, "END:VEVENT"];

function thrown(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error("did not throw");
}

describe("parseIcsHolidays", () => {
  it("reads all-day, multi-day (DTEND exclusive), timed (local start date) and yearly events; skips others with reasons", () => {
    const r = parseIcsHolidays(fixture, NOW);
    const days = Object.fromEntries(r.holidays.map((h) => [h.day, h.name]));
    expect(days["2027-04-05"]).toBe("Easter Monday");
    expect(days["2027-04-06"]).toBeUndefined();
    expect([days["2026-12-24"], days["2026-12-25"], days["2026-12-26"]]).toEqual(["Christmas break", "Christmas break", "Christmas break"]);
    expect(days["2026-12-27"]).toBeUndefined();
    // 23:00 local on the 12th, ending after midnight: one day, the start's local date.
    expect(days["2027-03-12"]).toBe("Company offsite");
    expect(days["2027-03-13"]).toBeUndefined();
    // Yearly from 2020: expanded from the start of now's year to now + 3 years.
    expect(r.holidays.filter((h) => h.name === "Labour Day").map((h) => h.day)).toEqual(["2026-05-01", "2027-05-01", "2028-05-01", "2029-05-01"]);
    expect(r.holidays.map((h) => h.day)).toEqual([...r.holidays.map((h) => h.day)].sort());
    expect(r.skipped).toEqual(
      expect.arrayContaining([
        { name: "Team day", reason: expect.stringContaining("only yearly") },
        { name: "Cancelled day", reason: "cancelled" },
      ]),
    );
    expect(r.holidays.some((h) => h.name === "Team day" || h.name === "Cancelled day")).toBe(false);
  });

  it("honours EXDATE on a yearly rule, a DURATION, and a DATE event without DTEND (one day)", () => {
    const r = parseIcsHolidays(
      cal(
        ...vevent("DTSTART;VALUE=DATE:20251003", "RRULE:FREQ=YEARLY", "EXDATE;VALUE=DATE:20271003", "SUMMARY:Unity Day"),
        ...vevent("DTSTART;VALUE=DATE:20260810", "DURATION:P2D", "SUMMARY:Summer"),
        ...vevent("DTSTART;VALUE=DATE:20261101", "SUMMARY:All Saints"),
      ),
      NOW,
    );
    expect(r.holidays).toEqual([
      { day: "2026-08-10", name: "Summer" },
      { day: "2026-08-11", name: "Summer" },
      { day: "2026-10-03", name: "Unity Day" },
      { day: "2026-11-01", name: "All Saints" },
      // 2027 is excluded; 2029-10-03 is past now + 3 years (2029-06-15).
      { day: "2028-10-03", name: "Unity Day" },
    ]);
  });

  it("skips a range longer than a year and an override of one occurrence", () => {
    const r = parseIcsHolidays(
      cal(
        ...vevent("DTSTART;VALUE=DATE:20260101", "DTEND;VALUE=DATE:20280101", "SUMMARY:Too long"),
        ...vevent("DTSTART;VALUE=DATE:20260102", "RECURRENCE-ID;VALUE=DATE:20260101", "SUMMARY:Moved"),
      ),
      NOW,
    );
    expect(r.holidays).toEqual([]);
    expect(r.skipped.map((s) => s.name)).toEqual(["Too long", "Moved"]);
  });

  it("rejects text that is not iCalendar (400) and a file over 1 MB (413)", () => {
    expect(thrown(() => parseIcsHolidays("this is not a calendar", NOW))).toMatchObject({ status: 400, code: "bad_request" });
    expect(thrown(() => parseIcsHolidays("BEGIN:VCARD\r\nVERSION:4.0\r\nEND:VCARD", NOW))).toMatchObject({ status: 400 });
    const big = cal(...vevent("DTSTART;VALUE=DATE:20260101", `DESCRIPTION:${"x".repeat(1024 * 1024)}`));
    expect(thrown(() => parseIcsHolidays(big, NOW))).toMatchObject({ status: 413, code: "payload_too_large" });
  });
});
