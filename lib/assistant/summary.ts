import type { Principal } from "@/lib/auth/principal";
import { isStaff } from "@/lib/auth/principal";
import type { TicketDTO } from "@/lib/tickets/dto";
import type { TicketSummary } from "./types";

/**
 * A ticket as the assistant shows it (one row with a link). The link is the desk page
 * `/tickets/T-12` for agents and admins, the requester portal's `/requests/T-12` for requesters
 * (app/requests/[key]).
 */
export function toSummary(dto: TicketDTO, principal: Principal): TicketSummary {
  return {
    key: dto.key,
    title: dto.title,
    status: dto.status,
    priority: dto.priority,
    category: dto.category,
    team: dto.team,
    assignee: dto.assignee?.name ?? null,
    requester: dto.email,
    createdAt: dto.createdAt,
    href: `${isStaff(principal) ? "/tickets" : "/requests"}/${dto.key}`,
  };
}
