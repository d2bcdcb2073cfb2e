import http from "node:http";
import type { AddressInfo } from "node:net";

/** A request the fake received: path, headers and the parsed JSON body. */
export interface RecordedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: {
    model?: string;
    messages?: { role: string; content: string }[];
    response_format?: { type: string; json_schema?: { name: string; schema: Record<string, unknown>; strict?: boolean } };
    temperature?: number;
    max_tokens?: number;
    max_completion_tokens?: number;
  };
}

/** What the fake answers for the n-th request (0-based). */
export type Reply =
  | { kind: "json"; content: string; promptTokens?: number; completionTokens?: number }
  | { kind: "status"; status: number; headers?: Record<string, string>; body?: unknown }
  | { kind: "hang" };

/**
 * FAKE LLM endpoint on loopback, speaking the OpenAI chat-completions wire format (which Groq,
 * Azure OpenAI and OpenAI-compatible servers share). It records every request so tests can
 * assert what we send, and answers from a script of replies.
 */
export async function startFakeLlm(script: (n: number, req: RecordedRequest) => Reply) {
  const requests: RecordedRequest[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => {
      const rec: RecordedRequest = { path: req.url ?? "", headers: req.headers, body: data ? JSON.parse(data) : {} };
      const n = requests.push(rec) - 1;
      const reply = script(n, rec);
      if (reply.kind === "hang") {
        hanging.add(res);
        return;
      }
      if (reply.kind === "status") {
        res.writeHead(reply.status, { "content-type": "application/json", ...(reply.headers ?? {}) });
        res.end(JSON.stringify(reply.body ?? { error: { message: `fake ${reply.status}`, type: "fake" } }));
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          id: `chatcmpl-fake-${n}`,
          object: "chat.completion",
          created: Math.floor(Date.now() / 1000),
          model: rec.body.model ?? "fake-model",
          choices: [{ index: 0, message: { role: "assistant", content: reply.content }, finish_reason: "stop" }],
          usage: {
            prompt_tokens: reply.promptTokens ?? 321,
            completion_tokens: reply.completionTokens ?? 12,
            total_tokens: (reply.promptTokens ?? 321) + (reply.completionTokens ?? 12),
          },
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
