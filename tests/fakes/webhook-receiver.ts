import { verifyWebhookSignature } from "@/lib/routing/push/webhook";
import { obj, startFake, type FakeOptions, type FakeServer } from "./push-fake-base";

export interface FakeWebhookReceiver extends FakeServer {
  /** Deliveries accepted once each (repeats with a seen Idempotency-Key are not stored again). */
  deliveries: { idempotencyKey: string; body: Record<string, unknown>; headers: Record<string, string | string[] | undefined> }[];
}

/**
 * FAKE receiver of Switchboard's generic webhook, behaving as docs/ROUTING.md asks receivers
 * to: verifies `X-Switchboard-Signature` over `X-Switchboard-Timestamp` + "." + raw body with
 * the shared secret (401 when wrong or older than 5 minutes), requires an `Idempotency-Key`
 * and acts once per key (a repeat gets the first answer again), and checks a custom header
 * when `requiredHeader` is given. Answers `200 {id, url}`.
 */
export async function startFakeWebhookReceiver(secret: string, requiredHeader?: [string, string], opts: FakeOptions = {}): Promise<FakeWebhookReceiver> {
  const deliveries: FakeWebhookReceiver["deliveries"] = [];
  const answered = new Map<string, { id: string; url: string }>();
  let base = "";
  const server = await startFake((r) => {
    const ts = String(r.headers["x-switchboard-timestamp"] ?? "");
    const sig = r.headers["x-switchboard-signature"];
    if (!verifyWebhookSignature(secret, ts, r.body, typeof sig === "string" ? sig : undefined)) return { status: 401, json: { error: "bad signature" } };
    if (requiredHeader && r.headers[requiredHeader[0].toLowerCase()] !== requiredHeader[1]) return { status: 403, json: { error: `missing ${requiredHeader[0]}` } };
    const key = r.headers["idempotency-key"];
    if (typeof key !== "string" || !key) return { status: 400, json: { error: "Idempotency-Key required" } };
    const b = obj(r.json);
    if (!b || typeof b.event !== "string" || b.delivery_id !== key || !obj(b.ticket)) return { status: 422, json: { error: "unexpected payload" } };
    const seen = answered.get(key);
    if (seen) return { status: 200, json: seen };
    const id = `rcv-${deliveries.length + 1}`;
    deliveries.push({ idempotencyKey: key, body: b, headers: r.headers });
    const answer = { id, url: `${base}/records/${id}` };
    answered.set(key, answer);
    return { status: 200, json: answer };
  }, undefined, opts);
  base = server.url;
  return Object.assign(server, { deliveries });
}
