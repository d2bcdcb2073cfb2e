import { startFake, type FakeServer } from "./push-fake-base";

/** The body of an embeddings request. */
export interface EmbeddingBody {
  model?: string;
  input?: string | string[];
  encoding_format?: string;
}

/**
 * FAKE embeddings endpoint on loopback, speaking OpenAI's `POST /v1/embeddings` wire format
 * (which OpenAI-compatible servers such as Ollama and vLLM share), on the shared fake plumbing
 * (push-fake-base.ts: records requests; `failNext` scripts failures). Like the real API it
 * answers 401 without a bearer token and 400 for a body without `model` or `input`; otherwise
 * each input gets the vector `embed(text)` returns.
 */
export async function startFakeEmbeddings(embed: (text: string) => number[]): Promise<FakeServer> {
  return startFake((req) => {
    if (!/^Bearer \S+/.test(String(req.headers.authorization ?? ""))) return { status: 401, json: { error: { message: "missing API key", type: "invalid_request_error" } } };
    if (req.method !== "POST" || req.url.pathname !== "/v1/embeddings") return { status: 404, json: { error: { message: "not found" } } };
    const body = (req.json ?? {}) as EmbeddingBody;
    if (!body.model || body.input === undefined) return { status: 400, json: { error: { message: "model and input are required", type: "invalid_request_error" } } };
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    return {
      status: 200,
      json: {
        object: "list",
        model: body.model,
        data: inputs.map((t, index) => ({ object: "embedding", index, embedding: embed(t) })),
        usage: { prompt_tokens: inputs.length * 10, total_tokens: inputs.length * 10 },
      },
    };
  });
}
