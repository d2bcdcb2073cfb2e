import "server-only";
import OpenAI, { AzureOpenAI } from "openai";
import Groq from "groq-sdk";
import type { LlmConfig, LlmProviderName } from "./config";

/** One chat completion request that must answer with a JSON object. */
export interface ChatRequest {
  system: string;
  user: string;
  /** JSON Schema of the answer; sent as strict structured output (json_schema) or described in the prompt (json_object). */
  jsonSchema: { name: string; schema: Record<string, unknown> };
  /** Upper bound on completion tokens. */
  maxTokens: number;
}

export interface ChatResult {
  content: string;
  promptTokens: number;
  completionTokens: number;
  /** Model name the provider reported. */
  model: string;
}

/** A provider behind one interface: OpenAI, Azure OpenAI, Groq or any OpenAI-compatible server. */
export interface ChatClient {
  readonly provider: LlmProviderName;
  readonly model: string;
  complete(req: ChatRequest, signal: AbortSignal): Promise<ChatResult>;
}

type Message = { role: "system" | "user"; content: string };

function messages(req: ChatRequest, format: LlmConfig["responseFormat"]): Message[] {
  const system =
    format === "json_object"
      ? `${req.system}\nAnswer with one JSON object matching this JSON Schema: ${JSON.stringify(req.jsonSchema.schema)}`
      : req.system;
  return [
    { role: "system", content: system },
    { role: "user", content: req.user },
  ];
}

/** The parts of an OpenAI-format chat completion we use (Groq and OpenAI SDKs share the shape). */
interface CompletionLike {
  model?: string;
  choices: { message?: { content?: string | null } | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

function toChatResult(r: CompletionLike, fallbackModel: string): ChatResult {
  return {
    content: r.choices[0]?.message?.content ?? "",
    promptTokens: r.usage?.prompt_tokens ?? 0,
    completionTokens: r.usage?.completion_tokens ?? 0,
    model: r.model ?? fallbackModel,
  };
}

function responseFormat(req: ChatRequest, format: LlmConfig["responseFormat"]) {
  return format === "json_schema"
    ? ({ type: "json_schema", json_schema: { name: req.jsonSchema.name, schema: req.jsonSchema.schema, strict: true } } as const)
    : ({ type: "json_object" } as const);
}

/**
 * Build the client for the configured provider. The SDKs retry 408/409/429/5xx and connection
 * errors `maxRetries` times with exponential backoff that honours `Retry-After`/`retry-after-ms`;
 * the caller's AbortSignal bounds the whole call, retries included.
 */
export function createChatClient(cfg: LlmConfig): ChatClient {
  const common = { apiKey: cfg.apiKey, maxRetries: cfg.maxRetries, timeout: cfg.timeoutMs };
  if (cfg.provider === "groq") {
    const groq = new Groq({ ...common, baseURL: cfg.baseURL });
    return {
      provider: cfg.provider,
      model: cfg.model,
      async complete(req, signal) {
        const r = await groq.chat.completions.create(
          {
            model: cfg.model,
            messages: messages(req, cfg.responseFormat),
            response_format: responseFormat(req, cfg.responseFormat) as never,
            temperature: 0,
            max_tokens: req.maxTokens,
          },
          { signal },
        );
        return toChatResult(r, cfg.model);
      },
    };
  }
  const openai =
    cfg.provider === "azure" && cfg.azure
      ? new AzureOpenAI({ ...common, endpoint: cfg.azure.endpoint, deployment: cfg.azure.deployment, apiVersion: cfg.azure.apiVersion })
      : new OpenAI({ ...common, baseURL: cfg.baseURL });
  const tokenField = cfg.provider === "openai-compatible" ? "max_tokens" : "max_completion_tokens";
  return {
    provider: cfg.provider,
    model: cfg.model,
    async complete(req, signal) {
      const r = await openai.chat.completions.create(
        {
          model: cfg.model,
          messages: messages(req, cfg.responseFormat),
          response_format: responseFormat(req, cfg.responseFormat),
          temperature: 0,
          [tokenField]: req.maxTokens,
        },
        { signal },
      );
      return toChatResult(r, cfg.model);
    },
  };
}
