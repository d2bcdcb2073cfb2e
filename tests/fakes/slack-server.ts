import { obj, startFake, type FakeServer } from "./push-fake-base";

const BLOCK_TYPES = new Set(["header", "section", "actions", "context", "divider"]);

export interface FakeSlack extends FakeServer {
  /** The incoming-webhook URL to configure on the target. */
  hookUrl: string;
  messages: Record<string, unknown>[];
}

/**
 * FAKE Slack incoming webhook on loopback (`/services/T000/B000/<secret>`). Like Slack it
 * answers `200 ok` as text, `400 invalid_payload` / `no_text` / `invalid_blocks`, and
 * `404 no_service` for an unknown hook path; it checks that `blocks` are known block types
 * with the fields they need.
 */
export async function startFakeSlack(secretPath = "XXXXXXXXXXXXXXXXXXXXXXXX"): Promise<FakeSlack> {
  const messages: Record<string, unknown>[] = [];
  const hookPath = `/services/T000/B000/${secretPath}`;
  const server = await startFake((r) => {
    if (r.method !== "POST" || r.url.pathname !== hookPath) return { status: 404, text: "no_service" };
    const b = obj(r.json);
    if (!b) return { status: 400, text: "invalid_payload" };
    if (typeof b.text !== "string" || !b.text) return { status: 400, text: "no_text" };
    if (b.blocks !== undefined) {
      const blocks = b.blocks;
      const ok =
        Array.isArray(blocks) &&
        blocks.length <= 50 &&
        blocks.every((x) => {
          const blk = obj(x);
          if (!blk || !BLOCK_TYPES.has(String(blk.type))) return false;
          if (blk.type === "header") return obj(blk.text)?.type === "plain_text" && String(obj(blk.text)?.text ?? "").length <= 150;
          if (blk.type === "section") return obj(blk.text) !== null || Array.isArray(blk.fields);
          if (blk.type === "actions") return Array.isArray(blk.elements) && blk.elements.length > 0;
          return true;
        });
      if (!ok) return { status: 400, text: "invalid_blocks" };
    }
    messages.push(b);
    return { status: 200, text: "ok" };
  });
  return Object.assign(server, { hookUrl: `${server.url}${hookPath}`, messages });
}
