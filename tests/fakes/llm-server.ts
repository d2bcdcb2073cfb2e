import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach } from "vitest";
import { clearEnv, setEnv } from "../triage/set-env";

/** A request the fake received: path, headers and the parsed JSON body. */
export interface RecordedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: {
    model?: string;
    messages?: { role: string; content: string }[];
    /** Tools offered (tool calling): OpenAI wire format. */
    tools?: { type: string; function: { name: string; description?: string; parameters?: Record<string, unknown> } }[];
    tool_choice?: unknown;
    response_format?: { type: string; json_schema?: { name: string; schema: Record<string, unknown>; strict?: boolean } };
    temperature?: number;
    max_tokens?: number;
    max_completion_tokens?: number;
  };
}

/** What the fake answers for the n-th request (0-based). */
export type Reply =
  | { kind: "json"; content: string; promptTokens?: number; completionTokens?: number }
  /** Tool calls (message.tool_calls, finish_reason "tool_calls"); `content` is text the model wrote besides them. */
  | { kind: "tool_calls"; calls: { name: string; arguments: string }[]; content?: string | null; promptTokens?: number; completionTokens?: number }
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
      const choice =
        reply.kind === "tool_calls"
          ? {
              index: 0,
              message: {
                role: "assistant",
                content: reply.content ?? null,
                tool_calls: reply.calls.map((c, i) => ({ id: `call_fake_${n}_${i}`, type: "function", function: { name: c.name, arguments: c.arguments } })),
              },
              finish_reason: "tool_calls",
            }
          : { index: 0, message: { role: "assistant", content: reply.content }, finish_reason: "stop" };
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          id: `chatcmpl-fake-${n}`,
          object: "chat.completion",
          created: Math.floor(Date.now() / 1000),
          model: rec.body.model ?? "fake-model",
          choices: [choice],
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

/** Every environment variable that selects or tunes an LLM (lib/llm/config.ts). */
export const LLM_ENV_KEYS = [
  "LLM_PROVIDER", "OPENAI_API_KEY", "GROQ_API_KEY", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_DEPLOYMENT",
  "LLM_API_KEY", "LLM_BASE_URL", "LLM_MODEL", "LLM_TIMEOUT_MS", "LLM_MAX_RETRIES", "TRIAGE_MODE", "LLM_RESPONSE_FORMAT",
  "LLM_PRICE_INPUT_PER_MTOK", "LLM_PRICE_OUTPUT_PER_MTOK",
] as const;

/**
 * Register hooks (call at the top level of a test file) that clear the LLM variables (and
 * `extraKeys`) before and after each test and close the fake started by `start`.
 * `start(script, env)` starts a fake and sets the variables `env(fake.url)` returns.
 */
export function useFakeLlmEnv(extraKeys: readonly string[] = []) {
  const keys = [...LLM_ENV_KEYS, ...extraKeys];
  let fake: Awaited<ReturnType<typeof startFakeLlm>> | null = null;
  beforeEach(() => clearEnv(keys));
  afterEach(async () => {
    await fake?.close();
    fake = null;
    clearEnv(keys);
  });
  return {
    keys,
    async start(script: Reply | ((n: number, req: RecordedRequest) => Reply), env: (url: string) => Record<string, string>) {
      await fake?.close();
      fake = await startFakeLlm(typeof script === "function" ? script : () => script);
      setEnv(env(fake.url));
      return fake;
    },
  };
}
