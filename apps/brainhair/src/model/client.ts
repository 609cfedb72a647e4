import type { MessageParam, TextBlockParam, Tool } from "@anthropic-ai/sdk/resources/messages";
import type { Settings } from "../deps.ts";
import { AnswerBuilder, type AnswerBlock, type Usage } from "./accumulate.ts";
import { ModelError, Stopped } from "./errors.ts";

export interface ModelRequest {
  system: TextBlockParam[];
  tools: Tool[];
  messages: MessageParam[];
}

export interface ModelAnswer {
  blocks: AnswerBlock[];
  stopReason: string | null;
  usage: Usage;
  model: string;
}

export interface ModelListener {
  /** Text as it arrives. */
  text(delta: string): void;
  /** The answer so far is void (an error after it began): another try follows in `waitMs`. */
  retry(reason: string, attempt: number, waitMs: number): void;
}

type Sdk = typeof import("./sdk.ts");
let sdk: Promise<Sdk> | undefined;
/** The SDK is imported with the first model request: an idle Brainhair never runs it. */
const loadSdk = () => {
  sdk ??= import("./sdk.ts");
  return sdk;
};

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;

/**
 * The Messages API through the official SDK, streaming. The SDK's own retries are off: this
 * loop retries 429, 529, 5xx, dropped connections and stalls with backoff (or the API's
 * Retry-After) for as long as the deadline allows, then gives up with a message for the chat.
 */
export function createModelClient(settings: Settings, apiKey: string) {
  let client: Promise<InstanceType<Sdk["Anthropic"]>> | undefined;
  const connect = () => {
    client ??= loadSdk().then(
      ({ Anthropic }) =>
        new Anthropic({
          apiKey,
          baseURL: settings.baseUrl ?? undefined,
          maxRetries: 0,
          timeout: settings.modelDeadlineMs + settings.modelIdleMs,
        }),
    );
    return client;
  };

  async function attempt(request: ModelRequest, listener: ModelListener, signal: AbortSignal): Promise<ModelAnswer> {
    const idle = new AbortController();
    let timer = setTimeout(() => idle.abort(), settings.modelIdleMs);
    const touch = () => {
      clearTimeout(timer);
      timer = setTimeout(() => idle.abort(), settings.modelIdleMs);
    };
    const builder = new AnswerBuilder();
    try {
      const stream = await (await connect()).messages.create(
        {
          model: settings.model,
          max_tokens: settings.maxTokens,
          system: request.system,
          tools: request.tools,
          messages: request.messages,
          stream: true,
        },
        { signal: AbortSignal.any([signal, idle.signal]) },
      );
      for await (const event of stream) {
        touch();
        const text = builder.apply(event);
        if (text) listener.text(text);
      }
    } catch (error) {
      if (signal.aborted) throw new Stopped();
      if (idle.signal.aborted) throw stalled(settings.modelIdleMs);
      throw error;
    } finally {
      clearTimeout(timer);
    }
    // An aborted stream ends its iteration quietly: say why it ended.
    if (signal.aborted) throw new Stopped();
    if (idle.signal.aborted) throw stalled(settings.modelIdleMs);
    if (builder.stopReason === null) throw new ModelError("The model's answer ended before it was complete.", true);
    return {
      blocks: builder.blocksDone(),
      stopReason: builder.stopReason,
      usage: builder.usage,
      model: builder.model ?? settings.model,
    };
  }

  /** One answer of the model, retried within the deadline; throws ModelError or Stopped. */
  async function answer(request: ModelRequest, listener: ModelListener, signal: AbortSignal): Promise<ModelAnswer> {
    const deadline = Date.now() + settings.modelDeadlineMs;
    for (let tries = 1; ; tries++) {
      try {
        return await attempt(request, listener, signal);
      } catch (thrown) {
        if (thrown instanceof Stopped) throw thrown;
        const error = (await loadSdk()).describeModelError(thrown, settings.model);
        if (!error.retryable) throw error;
        const backoff = Math.min(BASE_DELAY_MS * 2 ** (tries - 1), MAX_DELAY_MS) * (1 - Math.random() * 0.25);
        const waitMs = error.retryAfterMs ?? backoff;
        if (Date.now() + waitMs >= deadline)
          throw new ModelError(`${error.message} Gave up after ${tries} tries; try again in a minute.`, false);
        listener.retry(error.message, tries + 1, waitMs);
        await sleep(waitMs, signal);
      }
    }
  }

  return { answer };
}

export type ModelClient = ReturnType<typeof createModelClient>;

function stalled(idleMs: number): ModelError {
  return new ModelError(`The model sent nothing for ${Math.round(idleMs / 1000)} s.`, true);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Stopped());
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Stopped());
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
