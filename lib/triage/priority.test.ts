import { describe, expect, it } from "vitest";
import { assessPriority } from "./priority";

describe("assessPriority (ITIL impact × urgency)", () => {
  it.each([
    ["Production database down", "Customers cannot check out, the site is down for everyone", "P1"],
    ["VPN is slow", "The whole team sees a slow VPN since this morning", "P3"],
    ["Laptop screen broken", "My screen is broken, I cannot work", "P3"],
    ["Install Visio", "Could you please install Visio on my laptop when you have time", "P4"],
    ["Printer jams", "The printer jams sometimes", "P4"],
    ["Email outage", "Email is not working for the entire company", "P1"],
    ["Department share", "The department shared drive is not accessible, urgent", "P2"],
    ["Question", "This is not urgent: how do I change my signature?", "P4"],
    ["Wifi", "My laptop cannot connect to the office wifi, other colleagues are fine. I cannot work.", "P3"],
  ])("%s → %s", (title, description, expected) => {
    expect(assessPriority(title, description).priority).toBe(expected);
  });

  it.each([
    // a deadline within the day or a clock time raises urgency; a duration alone does not
    ["Report tool", "The report tool gives an error, I must hand in the figures today", "high"],
    ["Laptop", "My laptop won't start and my interview is at 10:30", "high"],
    ["Projector", "The projector shows no image, the workshop begins in 20 minutes", "high"],
    ["Outlook", "Outlook has been slow since 9am", "medium"],
    ["Scanner", "Scanning is flaky for 2 days now", "medium"],
    // a negation scopes the cue it negates: "not urgent" is low, "not blocking me" only drops "blocking"
    ["Chair", "Not urgent: the armrest of my chair is loose", "low"],
    ["Laptop fan", "The fan is loud, not blocking me but noisy", "medium"],
    // quoted and forwarded mail does not speak for the requester
    ["Fwd: URGENT payment", "Is this phishing? Have a look when you have time.\n> URGENT: wire the money today", "low"],
    ["Check this", "Can someone check this?\n-----Original Message-----\nSubject: URGENT\nCall me immediately", "low"],
    // a problem reported as fixed is no longer an incident
    ["Wifi", "The wifi was down for everybody this morning, it works again now. Thanks!", "low"],
  ])("urgency: %s / %s → %s", (title, description, expected) => {
    expect(assessPriority(title, description).urgency).toBe(expected);
  });

  it.each([
    ["Share", "The whole team of 8 can't open the share", "medium"],
    ["Share", "Nobody on our floor can open the share", "medium"],
    ["Share", "Nobody can open the share", "high"],
    ["Share", "The share is gone company-wide", "high"],
    ["Share", "Only I can't open the share, my whole team can", "low"],
    ["Share", "The share is gone for everyone at the Hamburg and Bremen sites", "high"],
  ])("impact: %s / %s → %s", (title, description, expected) => {
    expect(assessPriority(title, description).impact).toBe(expected);
  });

  it("explains its decision with the cues it matched", () => {
    const a = assessPriority("Outage", "Nobody can log in, production is down");
    expect(a.impact).toBe("high");
    expect(a.urgency).toBe("high");
    expect(a.cues.impact).toContain("production");
  });
});
