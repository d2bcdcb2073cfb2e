/** Example commands shown in help answers and when the assistant did not understand (10–14). */
export const ASSISTANT_EXAMPLES: string[] = [
  "create ticket for VPN drops every hour, high priority",
  "show my open tickets",
  "show T-12",
  "update T-12 to in progress, checking the load balancer",
  "assign T-12 to maria",
  "take T-12",
  "note on T-12: waiting for the vendor",
  "reply to T-12: we have ordered the part",
  "close T-7, replaced the switch",
  "unassigned hardware tickets created this week",
  "how many P1s this week?",
  "breaches today",
  "close all my waiting tickets",
];
