"use client";

import { Button } from "@/components/ui/button";
import { openAssistant } from "./command-events";

/** "Continue": opens the header's command bar on this conversation (the bar keeps its id). */
export function HistoryContinueButton({ conversationId, title }: { conversationId: string; title: string }) {
  return (
    <Button size="sm" onClick={() => openAssistant({ conversationId, title: `“${title}”` })} data-testid="assistant-continue">
      Continue
    </Button>
  );
}
