import type { Status } from "@/db/schema/enums";
import { getDb } from "@/db/client";
import { LinksCard } from "@/components/tickets/links-card";
import { MergeCard } from "@/components/tickets/merge-card";
import { TagsCard } from "@/components/tickets/tags-card";
import { listRelated } from "@/lib/tickets/links";
import { mergeInfo } from "@/lib/tickets/merge";
import { listTicketTags } from "@/lib/tickets/tags";
import { linkAction, mergeAction, tagsAction } from "./workspace-actions";

/**
 * The ticket page's tags, related tickets and merge cards (issue 12), with their data loaded
 * here so the page mounts them with one element. The caller has checked the agent's access.
 */
export async function WorkspaceCards({ ticketId, ticketKey, status }: { ticketId: number; ticketKey: string; status: Status }) {
  const db = await getDb();
  const [tags, links, merge] = await Promise.all([listTicketTags(db, ticketId), listRelated(db, ticketId), mergeInfo(db, ticketId)]);
  return (
    <>
      <TagsCard tags={tags} action={tagsAction.bind(null, ticketKey)} />
      <LinksCard links={links} action={linkAction.bind(null, ticketKey)} />
      <MergeCard
        ticketKey={ticketKey}
        canMerge={status !== "closed" && merge.into === null}
        into={merge.into}
        from={merge.from}
        action={mergeAction.bind(null, ticketKey)}
      />
    </>
  );
}
