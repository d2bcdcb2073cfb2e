import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import type { WeeklyHours } from "@/db/schema/sla";
import { addBusinessSeconds, businessSecondsBetween, clearBusinessTimeCache, hasWorkingTime, isBusinessTime, type BusinessCalendarSpec } from "@/lib/sla/business-time";

/*
 * Business-clock arithmetic (lib/sla/business-time.ts): business hours, weekends, holidays,
 * split shifts, daylight-saving changes in Europe/Berlin and America/New_York, and a calendar
 * in a time zone other than the server's. Instants are written in UTC with the local time
 * they stand for in a comment.
 */

const H = 3600;
const nineToFive: Array<[number, number]> = [[9 * 60, 17 * 60]];
const weekdays = (iv: Array<[number, number]>): WeeklyHours => ({ "1": iv, "2": iv, "3": iv, "4": iv, "5": iv });
const cal = (timeZone: string, hours: WeeklyHours = weekdays(nineToFive), holidays: string[] = []): BusinessCalendarSpec => ({
  timeZone,
  alwaysOpen: false,
  hours,
  holidays: new Set(holidays),
});
const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe("business hours and weekends", () => {
  const berlin = cal("Europe/Berlin");

  it("adds within the same working day", () => {
    // Wed 2 Dec 2026 10:00 CET + 2 h → 12:00 CET
    expect(iso(addBusinessSeconds(berlin, at("2026-12-02T09:00:00Z"), 2 * H))).toBe("2026-12-02T11:00:00.000Z");
  });

  it("carries over the night to the next morning", () => {
    // Wed 16:00 CET + 3 h → 1 h today, 2 h Thursday from 09:00 → Thu 11:00 CET
    expect(iso(addBusinessSeconds(berlin, at("2026-12-02T15:00:00Z"), 3 * H))).toBe("2026-12-03T10:00:00.000Z");
  });

  it("skips the weekend", () => {
    // Fri 4 Dec 16:00 CET + 2 h → Mon 7 Dec 10:00 CET
    expect(iso(addBusinessSeconds(berlin, at("2026-12-04T15:00:00Z"), 2 * H))).toBe("2026-12-07T09:00:00.000Z");
    expect(businessSecondsBetween(berlin, at("2026-12-04T15:00:00Z"), at("2026-12-07T09:00:00Z"))).toBe(2 * H);
  });

  it("starts the clock at the next opening when started outside hours", () => {
    // Sat 5 Dec 11:00 CET + 30 min → Mon 09:30 CET
    expect(iso(addBusinessSeconds(berlin, at("2026-12-05T10:00:00Z"), 1800))).toBe("2026-12-07T08:30:00.000Z");
    // Tue 07:00 CET + 1 h → 10:00 CET
    expect(iso(addBusinessSeconds(berlin, at("2026-12-08T06:00:00Z"), H))).toBe("2026-12-08T09:00:00.000Z");
  });

  it("counts no business time across a weekend or a night", () => {
    expect(businessSecondsBetween(berlin, at("2026-12-04T16:00:00Z"), at("2026-12-07T08:00:00Z"))).toBe(0);
    expect(businessSecondsBetween(berlin, at("2026-12-02T18:00:00Z"), at("2026-12-03T07:00:00Z"))).toBe(0);
  });

  it("five business days of 8 h end at the same time a week later", () => {
    // Mon 7 Dec 13:00 CET + 40 h → Mon 14 Dec 13:00 CET
    expect(iso(addBusinessSeconds(berlin, at("2026-12-07T12:00:00Z"), 40 * H))).toBe("2026-12-14T12:00:00.000Z");
  });

  it("returns the start for zero or negative durations and 0 for reversed ranges", () => {
    const t = at("2026-12-05T10:00:00Z");
    expect(iso(addBusinessSeconds(berlin, t, 0))).toBe(iso(t));
    expect(businessSecondsBetween(berlin, at("2026-12-03T10:00:00Z"), at("2026-12-02T10:00:00Z"))).toBe(0);
  });

  it("tells business time from closed time", () => {
    expect(isBusinessTime(berlin, at("2026-12-02T10:00:00Z"))).toBe(true); // Wed 11:00 CET
    expect(isBusinessTime(berlin, at("2026-12-02T16:00:00Z"))).toBe(false); // Wed 17:00 CET (end is exclusive)
    expect(isBusinessTime(berlin, at("2026-12-05T10:00:00Z"))).toBe(false); // Saturday
  });
});

describe("split shifts", () => {
  const shifts = cal("Europe/Berlin", weekdays([[8 * 60, 12 * 60], [13 * 60, 17 * 60]]));

  it("skips the lunch break", () => {
    // Wed 11:00 CET + 2 h → 1 h until 12:00, lunch, 1 h from 13:00 → 14:00 CET
    expect(iso(addBusinessSeconds(shifts, at("2026-12-02T10:00:00Z"), 2 * H))).toBe("2026-12-02T13:00:00.000Z");
    expect(businessSecondsBetween(shifts, at("2026-12-02T07:00:00Z"), at("2026-12-02T16:00:00Z"))).toBe(8 * H);
    expect(isBusinessTime(shifts, at("2026-12-02T11:30:00Z"))).toBe(false); // 12:30 CET
  });

  it("merges overlapping intervals instead of counting them twice", () => {
    const overlapping = cal("UTC", weekdays([[9 * 60, 13 * 60], [12 * 60, 17 * 60]]));
    expect(businessSecondsBetween(overlapping, at("2026-12-02T00:00:00Z"), at("2026-12-03T00:00:00Z"))).toBe(8 * H);
  });

  it("supports shifts that run to midnight (24:00) and the weekend", () => {
    const late = cal("UTC", { "6": [[18 * 60, 1440]], "7": [[0, 6 * 60]] });
    // Sat 5 Dec 23:00 UTC + 2 h → 1 h Saturday, 1 h Sunday from 00:00 → Sun 01:00
    expect(iso(addBusinessSeconds(late, at("2026-12-05T23:00:00Z"), 2 * H))).toBe("2026-12-06T01:00:00.000Z");
  });
});

describe("holidays", () => {
  const berlin = cal("Europe/Berlin", weekdays(nineToFive), ["2026-12-24", "2026-12-25", "2026-12-31", "2027-01-01"]);

  it("skips holidays like weekends", () => {
    // Wed 23 Dec 16:00 CET + 2 h → 24th and 25th are holidays, then the weekend → Mon 28 Dec 10:00 CET
    expect(iso(addBusinessSeconds(berlin, at("2026-12-23T15:00:00Z"), 2 * H))).toBe("2026-12-28T09:00:00.000Z");
    expect(businessSecondsBetween(berlin, at("2026-12-23T15:00:00Z"), at("2026-12-28T09:00:00Z"))).toBe(2 * H);
  });

  it("counts holidays by the calendar's local date", () => {
    // 23:30 UTC on 30 Dec is already 31 Dec (a holiday) in Berlin, but not in New York.
    expect(isBusinessTime(cal("Europe/Berlin", { "4": [[0, 1440]] }, ["2026-12-31"]), at("2026-12-30T23:30:00Z"))).toBe(false);
    expect(isBusinessTime(cal("America/New_York", { "3": [[0, 1440]] }, ["2026-12-31"]), at("2026-12-30T23:30:00Z"))).toBe(true);
  });
});

describe("daylight-saving changes", () => {
  it("Europe/Berlin spring forward: working hours stay 9–17 local, one hour less UTC offset", () => {
    const berlin = cal("Europe/Berlin");
    // Fri 27 Mar 2026 16:00 CET (UTC+1) + 2 h → Mon 30 Mar 10:00 CEST (UTC+2) = 08:00Z
    expect(iso(addBusinessSeconds(berlin, at("2026-03-27T15:00:00Z"), 2 * H))).toBe("2026-03-30T08:00:00.000Z");
  });

  it("Europe/Berlin: the 23-hour and the 25-hour day of a 24-hour calendar", () => {
    const allDay = cal("Europe/Berlin", { "7": [[0, 1440]] });
    // Sunday 29 Mar 2026 (spring forward) has 23 h, Sunday 25 Oct 2026 (fall back) 25 h.
    expect(businessSecondsBetween(allDay, at("2026-03-28T00:00:00Z"), at("2026-03-30T00:00:00Z"))).toBe(23 * H);
    expect(businessSecondsBetween(allDay, at("2026-10-24T00:00:00Z"), at("2026-10-26T00:00:00Z"))).toBe(25 * H);
    // From Sunday 29 Mar 00:00 CET: 23 business hours end at midnight (Mon 00:00 CEST = 22:00Z);
    // a 24th hour runs on the next Sunday (5 Apr 00:00–01:00 CEST).
    expect(iso(addBusinessSeconds(allDay, at("2026-03-28T23:00:00Z"), 23 * H))).toBe("2026-03-29T22:00:00.000Z");
    expect(iso(addBusinessSeconds(allDay, at("2026-03-28T23:00:00Z"), 24 * H))).toBe("2026-04-04T23:00:00.000Z");
  });

  it("Europe/Berlin fall back: a night shift across 02:00–03:00 counts the repeated hour", () => {
    const night = cal("Europe/Berlin", { "7": [[0, 6 * 60]] });
    // Sunday 25 Oct 2026 00:00–06:00 local is 7 real hours (02:00–03:00 happens twice).
    expect(businessSecondsBetween(night, at("2026-10-24T00:00:00Z"), at("2026-10-26T00:00:00Z"))).toBe(7 * H);
  });

  it("America/New_York spring forward and fall back keep 9–17 local", () => {
    const ny = cal("America/New_York");
    // Fri 6 Mar 2026 16:00 EST (UTC−5) + 2 h → Mon 9 Mar 10:00 EDT (UTC−4) = 14:00Z
    expect(iso(addBusinessSeconds(ny, at("2026-03-06T21:00:00Z"), 2 * H))).toBe("2026-03-09T14:00:00.000Z");
    // Fri 30 Oct 2026 16:00 EDT + 2 h → Mon 2 Nov 10:00 EST = 15:00Z
    expect(iso(addBusinessSeconds(ny, at("2026-10-30T20:00:00Z"), 2 * H))).toBe("2026-11-02T15:00:00.000Z");
    // Two working weeks across the change are still 80 business hours.
    expect(businessSecondsBetween(ny, at("2026-03-02T00:00:00Z"), at("2026-03-14T00:00:00Z"))).toBe(80 * H);
  });

  it("24×7 counts real elapsed seconds across a change", () => {
    const always: BusinessCalendarSpec = { timeZone: "Europe/Berlin", alwaysOpen: true, hours: {}, holidays: [] };
    // 4 h after Sun 29 Mar 2026 01:00 CET (00:00Z) is 04:00Z = 06:00 CEST.
    expect(iso(addBusinessSeconds(always, at("2026-03-29T00:00:00Z"), 4 * H))).toBe("2026-03-29T04:00:00.000Z");
    expect(businessSecondsBetween(always, at("2026-10-25T00:00:00Z"), at("2026-10-26T00:00:00Z"))).toBe(24 * H);
  });
});

describe("a calendar in a time zone other than the server's", () => {
  const savedTz = process.env.TZ;
  afterEach(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  it("gives the same instants whatever the server's zone", () => {
    const tokyo = cal("Asia/Tokyo");
    const start = at("2026-12-04T07:00:00Z"); // Fri 16:00 JST
    const results: string[] = [];
    for (const serverTz of ["UTC", "America/Los_Angeles", "Europe/Berlin", "Pacific/Kiritimati"]) {
      process.env.TZ = serverTz;
      if (serverTz === "America/Los_Angeles") expect(new Date(2026, 0, 1).getTimezoneOffset()).toBe(480); // the zone really changed
      results.push(iso(addBusinessSeconds(tokyo, start, 2 * H)));
    }
    // Fri 16:00 JST + 2 h → Mon 7 Dec 10:00 JST = 01:00Z, on every server zone.
    expect(new Set(results)).toEqual(new Set(["2026-12-07T01:00:00.000Z"]));
  });
});

describe("properties", () => {
  const zones = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "UTC"];
  const calendarArb = fc.record({
    timeZone: fc.constantFrom(...zones),
    split: fc.boolean(),
    saturday: fc.boolean(),
  });
  const instantArb = fc.date({ min: new Date("2026-01-01T00:00:00Z"), max: new Date("2027-12-31T00:00:00Z"), noInvalidDate: true });

  const build = (c: { timeZone: string; split: boolean; saturday: boolean }): BusinessCalendarSpec => {
    const day: Array<[number, number]> = c.split ? [[8 * 60, 12 * 60], [13 * 60, 17 * 60 + 30]] : nineToFive;
    const hours = weekdays(day);
    if (c.saturday) hours["6"] = [[10 * 60, 14 * 60]];
    return cal(c.timeZone, hours, ["2026-12-25", "2027-01-01", "2027-05-01"]);
  };

  it("businessSecondsBetween(start, addBusinessSeconds(start, s)) = s", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, fc.integer({ min: 0, max: 30 * 8 * H }), (c, start, s) => {
        const spec = build(c);
        const due = addBusinessSeconds(spec, start, s);
        expect(businessSecondsBetween(spec, start, due)).toBe(s);
      }),
      { numRuns: 300 },
    );
  });

  it("answers the same from a cold and a warm day-plan cache", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, fc.integer({ min: 0, max: 30 * 8 * H }), fc.array(instantArb, { maxLength: 4 }), (c, start, s, others) => {
        const spec = build(c);
        const answers = () => [addBusinessSeconds(spec, start, s).getTime(), businessSecondsBetween(spec, start, new Date(start.getTime() + s * 1000)), isBusinessTime(spec, start)];
        clearBusinessTimeCache();
        const cold = answers();
        for (const o of others) addBusinessSeconds(spec, o, s);
        expect(answers()).toEqual(cold);
      }),
      { numRuns: 200 },
    );
  });

  it("applies holidays per call: calendars that share hours and zone but not holidays differ", () => {
    const from = at("2026-12-24T08:00:00Z"); // Thu 09:00 Berlin
    const to = at("2026-12-29T16:00:00Z"); // Tue 17:00 Berlin
    const plain = cal("Europe/Berlin");
    const christmas = cal("Europe/Berlin", weekdays(nineToFive), ["2026-12-25"]);
    expect(businessSecondsBetween(plain, from, to)).toBe(4 * 8 * H);
    expect(businessSecondsBetween(christmas, from, to)).toBe(3 * 8 * H);
    expect(businessSecondsBetween(plain, from, to)).toBe(4 * 8 * H);
  });

  it("business time is additive over a split point and never exceeds wall time", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, fc.integer({ min: 0, max: 20 * 86_400 }), fc.integer({ min: 0, max: 20 * 86_400 }), (c, a, d1, d2) => {
        const spec = build(c);
        const b = new Date(a.getTime() + d1 * 1000);
        const e = new Date(b.getTime() + d2 * 1000);
        const whole = businessSecondsBetween(spec, a, e);
        expect(whole).toBeLessThanOrEqual(d1 + d2);
        expect(Math.abs(whole - (businessSecondsBetween(spec, a, b) + businessSecondsBetween(spec, b, e)))).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });
});

describe("calendars without working time", () => {
  it("are detected, and the arithmetic refuses them instead of looping", () => {
    const closed = cal("UTC", {});
    expect(hasWorkingTime(closed)).toBe(false);
    expect(hasWorkingTime(cal("UTC"))).toBe(true);
    expect(hasWorkingTime({ alwaysOpen: true, hours: {} })).toBe(true);
    expect(() => addBusinessSeconds(closed, at("2026-12-02T00:00:00Z"), 60)).toThrow(RangeError);
  });

  it("rejects an unknown time zone", () => {
    expect(() => addBusinessSeconds(cal("Mars/Olympus_Mons"), at("2026-12-02T00:00:00Z"), 60)).toThrow(RangeError);
  });
});
