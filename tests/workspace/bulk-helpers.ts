import { expect } from "vitest";
import * as ticketsRoute from "@/app/api/tickets/route";
import type { Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

/** File a ticket through POST /api/tickets (as `who`, for `email`) and return its key. */
export async function fileTicket(who: Actor, email: string, title: string): Promise<string> {
  const r = await call(ticketsRoute.POST, {
    path: "/api/tickets",
    key: who.key,
    body: { title, description: `${title}: it started this morning and blocks my work`, email },
  });
  expect(r.status).toBe(201);
  return r.body.ticket.key as string;
}
