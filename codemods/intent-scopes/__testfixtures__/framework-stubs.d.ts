// Minimal type declarations of the agent frameworks, for type-checking fixture outputs (typecheck.test.ts).
// Written for this project from the frameworks' documented signatures; not copied from their packages.
declare module "@openai/agents" {
  import type { z } from "zod";
  export function tool<P extends z.ZodObject<any>>(def: { name: string; description?: string; parameters: P; execute: (input: z.infer<P>, context?: unknown) => unknown }): { name: string };
  export class Agent { constructor(opts: { name: string; tools?: unknown[] }); }
  export function run(agent: Agent, input: string): Promise<unknown>;
}
declare module "@openai/agents/realtime" {
  export { tool } from "@openai/agents";
  export class RealtimeAgent { constructor(opts: { name: string; tools?: unknown[] }); }
}
declare module "@openai/agents-realtime" {
  export { tool } from "@openai/agents";
}
declare module "ai" {
  import type { z } from "zod";
  export interface ToolOptions { toolCallId: string; abortSignal?: AbortSignal }
  export function tool<P extends z.ZodObject<any>, R>(def: { description?: string; inputSchema: P; execute?: (input: z.infer<P>, options: ToolOptions) => R | Promise<R> }): unknown;
  type Tools = Record<string, unknown>;
  export function generateText(opts: { model: unknown; prompt?: string; messages?: unknown[]; tools?: Tools }): Promise<{ text: string }>;
  export function streamText(opts: { model: unknown; prompt?: string; messages?: unknown[]; tools?: Tools }): { text: Promise<string>; toTextStreamResponse(): Response };
}
declare module "@ai-sdk/openai" { export function openai(model: string): unknown; }
declare module "@langchain/core/tools" {
  import type { z } from "zod";
  export function tool<S extends z.ZodObject<any>>(fn: (input: z.infer<S>) => unknown, config: { name: string; description?: string; schema: S }): unknown;
  export class DynamicStructuredTool<S extends z.ZodObject<any> = z.ZodObject<any>> { constructor(fields: { name: string; description: string; schema: S; func: (input: z.infer<S>) => Promise<string> }); }
  export class DynamicTool { constructor(fields: { name: string; description: string; func: (input: string) => Promise<string> }); }
  export abstract class StructuredTool { abstract name: string; abstract description: string; abstract schema: z.ZodObject<any>; protected abstract _call(arg: any): Promise<string>; }
}
declare module "@mastra/core/tools" {
  import type { z } from "zod";
  export function createTool<I extends z.ZodObject<any>, O extends z.ZodObject<any>>(def: { id: string; description: string; inputSchema: I; outputSchema?: O; execute: (ctx: { context: z.infer<I> }) => Promise<z.infer<O>> }): unknown;
}
declare module "@mastra/core" { export { createTool } from "@mastra/core/tools"; }
declare module "react/jsx-runtime" { export const jsx: any; export const jsxs: any; export const Fragment: any; }
declare namespace JSX { interface IntrinsicElements { [name: string]: any } }
declare module "pg" {
  const pg: { Pool: new () => { query(sql: string, values?: unknown[]): Promise<{ rows: unknown[] }> } };
  export default pg;
}
declare module "axios" {
  const axios: { get(url: string): Promise<{ data: unknown }>; post(url: string, body?: unknown): Promise<{ data: unknown }> };
  export default axios;
}
declare module "llamaindex" {
  import type { z } from "zod";
  export function tool<T extends z.ZodType>(config: { name: string; description: string; parameters: T; execute: (input: z.infer<T>) => unknown }): unknown;
  export function tool<T extends z.ZodType>(fn: (input: z.infer<T>) => unknown, config: { name: string; description: string; parameters: T }): unknown;
}
declare module "@llamaindex/core/tools" {
  import type { z } from "zod";
  export { tool } from "llamaindex";
  export const FunctionTool: {
    from<T extends z.ZodType>(fn: (input: z.infer<T>) => unknown, config: { name: string; description: string; parameters: T }): unknown;
  };
}
