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

  it("explains its decision with the cues it matched", () => {
    const a = assessPriority("Outage", "Nobody can log in, production is down");
    expect(a.impact).toBe("high");
    expect(a.urgency).toBe("high");
    expect(a.cues.impact).toContain("production");
  });
});
