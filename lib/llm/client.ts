import "server-only";
import OpenAI, { AzureOpenAI } from "openai";
import Groq from "groq-sdk";
import type { LlmConfig, LlmProviderName } from "./config";
import { requestIdHeaders } from "@/lib/observability/request-context";
import { LlmError } from "./structured";

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

/** A function the model may call: `parameters` is a JSON Schema object. */
export interface ToolDefinition {
  /** a-z, A-Z, 0-9, `_` or `-`, at most 64 characters (the providers' rule). */
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** One chat completion that may answer with tool calls (tool_choice "auto", temperature 0). */
export interface ToolChatRequest {
  system: string;
  /** Earlier turns, then the current command last. */
  messages: { role: "user" | "assistant"; content: string }[];
  tools: ToolDefinition[];
  /** Upper bound on completion tokens. */
  maxTokens: number;
}

/** The model's answer to a {@link ToolChatRequest}. */
export interface ToolChatResult {
  /** Function calls in the order the model made them; `arguments` is the raw JSON text the model wrote (unvalidated). */
  toolCalls: { name: string; arguments: string }[];
  /** Plain text the model wrote besides (or instead of) tool calls; "" when none. */
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
  /**
   * One tool-calling completion (used by the assistant, lib/assistant/llm). The SDKs retry as for
   * {@link ChatClient.complete}; `signal` bounds the whole call. Throws the SDK's errors (APIError
   * with `status`, connection and abort errors); lib/llm/structured.ts `withDeadline` maps them to LlmError.
   */
  completeTools(req: ToolChatRequest, signal: AbortSignal): Promise<ToolChatResult>;
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

/** @throws LlmError `invalid_json` when the body is not a chat completion (e.g. an HTML page a proxy answered with 200). */
function toChatResult(r: CompletionLike, fallbackModel: string): ChatResult {
  if (!r || typeof r !== "object" || !Array.isArray(r.choices)) {
    throw new LlmError("invalid_json", `The LLM endpoint's answer is not a chat completion: ${String(typeof r === "string" ? r : JSON.stringify(r)).slice(0, 120)}`);
  }
  return {
    content: r.choices[0]?.message?.content ?? "",
    promptTokens: r.usage?.prompt_tokens ?? 0,
    completionTokens: r.usage?.completion_tokens ?? 0,
    model: r.model ?? fallbackModel,
  };
}

/** The parts of an OpenAI-format tool-call answer we use (Groq and OpenAI SDKs share the shape). */
interface ToolCompletionLike extends CompletionLike {
  choices: { message?: { content?: string | null; tool_calls?: ({ type: string; function?: { name: string; arguments: string } } | { type: string })[] | null } | null }[];
}

function toToolResult(r: ToolCompletionLike, fallbackModel: string): ToolChatResult {
  const base = toChatResult(r, fallbackModel);
  const calls = r.choices[0]?.message?.tool_calls ?? [];
  return {
    ...base,
    // Only function calls: OpenAI's "custom" tools are never offered, so any other type is dropped.
    toolCalls: calls.flatMap((c) => ("function" in c && c.type === "function" && c.function ? [{ name: c.function.name, arguments: c.function.arguments }] : [])),
  };
}

/** The request body fields of a tool-calling completion shared by both SDKs. */
function toolParams(req: ToolChatRequest, model: string) {
  return {
    model,
    messages: [{ role: "system" as const, content: req.system }, ...req.messages],
    tools: req.tools.map((t) => ({ type: "function" as const, function: { name: t.name, description: t.description, parameters: t.parameters } })),
    tool_choice: "auto" as const,
    temperature: 0,
  };
}

function responseFormat(req: ChatRequest, format: LlmConfig["responseFormat"]) {
  return format === "json_schema"
    ? ({ type: "json_schema", json_schema: { name: req.jsonSchema.name, schema: req.jsonSchema.schema, strict: true } } as const)
    : ({ type: "json_object" } as const);
}

/**
 * Build the client for the configured provider. We call providers through the two SDKs we
 * already have (openai for OpenAI, Azure OpenAI and OpenAI-compatible servers; groq-sdk for
 * Groq) rather than the Vercel AI SDK, because tool calling then shares triage's clients,
 * retries, timeouts and loopback fakes and needs no new dependency.
 * The SDKs retry 408/409/429/5xx and connection errors `maxRetries` times with exponential
 * backoff that honours `Retry-After`/`retry-after-ms`; the caller's AbortSignal bounds the
 * whole call, retries included.
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
          { signal, headers: requestIdHeaders() },
        );
        return toChatResult(r, cfg.model);
      },
      async completeTools(req, signal) {
        const r = await groq.chat.completions.create({ ...toolParams(req, cfg.model), max_tokens: req.maxTokens }, { signal, headers: requestIdHeaders() });
        return toToolResult(r, cfg.model);
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
        { signal, headers: requestIdHeaders() },
      );
      return toChatResult(r, cfg.model);
    },
    async completeTools(req, signal) {
      const r = await openai.chat.completions.create({ ...toolParams(req, cfg.model), [tokenField]: req.maxTokens }, { signal, headers: requestIdHeaders() });
      return toToolResult(r, cfg.model);
    },
  };
}
