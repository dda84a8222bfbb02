// Test-only declarations for the frameworks the docs' code blocks import that are not installed in
// this repository. Minimal: only what the blocks use, in the libraries' real shapes. The frameworks
// that are installed (ai, @openai/agents, @langchain/core, @langchain/langgraph, hono, express,
// zod, @modelcontextprotocol/sdk, vitest) are checked against their real types instead.

declare module "@ai-sdk/openai" {
  export function openai(modelId: string): import("ai").LanguageModel;
}

declare module "@langchain/openai" {
  import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
  export const ChatOpenAI: new (fields?: { model?: string; temperature?: number }) => BaseChatModel;
}

declare module "@mastra/core/tools" {
  import type { z } from "zod";
  export function createTool<TInput extends z.ZodType, TOutput>(options: {
    id: string;
    description: string;
    inputSchema?: TInput;
    outputSchema?: z.ZodType;
    execute: (inputData: z.infer<TInput>, context?: unknown) => Promise<TOutput>;
  }): { id: string; execute: (inputData: z.infer<TInput>, context?: unknown) => Promise<TOutput> };
}

declare module "@mastra/core/agent" {
  export class Agent {
    constructor(options: { name: string; instructions: string; model: unknown; tools?: Record<string, unknown> });
  }
}

declare module "@mastra/core/mastra" {
  export class Mastra {
    constructor(options: { agents?: Record<string, unknown> });
  }
}

declare module "fastify" {
  import type { IncomingHttpHeaders } from "node:http";
  interface FastifyRequest {
    headers: IncomingHttpHeaders;
  }
  interface FastifyReply {
    code(statusCode: number): FastifyReply;
    send(payload?: unknown): FastifyReply;
  }
  interface FastifyInstance {
    addHook(
      name: "onRequest",
      hook: (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => void,
    ): FastifyInstance;
    setErrorHandler(handler: (error: Error, request: FastifyRequest, reply: FastifyReply) => unknown): FastifyInstance;
    post(path: string, handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>): FastifyInstance;
    listen(options: { port: number; host?: string }): Promise<string>;
  }
  export default function Fastify(options?: Record<string, unknown>): FastifyInstance;
}

declare module "bullmq" {
  export class Job<Data = unknown> {
    id?: string;
    data: Data;
  }
  export class UnrecoverableError extends Error {}
  export class Worker<Data = unknown> {
    constructor(
      name: string,
      processor: (job: Job<Data>) => Promise<unknown>,
      options: { connection: { host: string; port: number } },
    );
  }
}

declare module "pg" {
  export class Pool {
    constructor(config?: { connectionString?: string });
    query(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
  }
}

declare module "axios" {
  interface AxiosInstance {
    get(url: string): Promise<{ data: unknown; status: number }>;
    post(url: string, body?: unknown): Promise<{ data: unknown; status: number }>;
  }
  const axios: AxiosInstance & { create(config?: { baseURL?: string }): AxiosInstance };
  export default axios;
}

declare module "@hono/node-server" {
  export function serve(options: { fetch: (request: Request) => Response | Promise<Response>; port?: number }): unknown;
}

declare module "llamaindex" {
  import type { z } from "zod";
  export interface BaseTool {
    metadata: { name: string; description: string };
  }
  export function tool<T extends z.ZodType>(config: {
    name: string;
    description: string;
    parameters: T;
    execute: (input: z.infer<T>) => unknown;
  }): BaseTool;
  export function tool<T extends z.ZodType>(
    fn: (input: z.infer<T>) => unknown,
    config: { name: string; description: string; parameters: T },
  ): BaseTool;
}

declare module "@llamaindex/workflow" {
  import type { BaseTool } from "llamaindex";
  export function agent(params: { tools: BaseTool[]; llm?: unknown; name?: string; description?: string }): {
    run(input: string): Promise<unknown>;
  };
}

declare module "@llamaindex/openai" {
  export function openai(params?: { model?: string; temperature?: number }): unknown;
}
