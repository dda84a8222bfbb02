import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { ListRootsRequestSchema, McpError } from "@modelcontextprotocol/sdk/types.js";
import { createGovernorMcpServer } from "../server.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockServer, type MockServer } from "../../enforce-mock/index.js";
import { IntentEventSchema } from "../intent-schema.js";
import { connect, tempDir, textOf } from "./helpers.js";

const TOOL_NAMES = [
  "search_docs",
  "get_doc",
  "list_docs",
  "get_recipe",
  "detect_stack",
  "plan_integration",
  "apply_integration",
  "check_integration",
  "governor_status",
  "build_intent",
  "explain_decision",
  "get_decision_history",
].sort();

// Structured content is checked field by field against what each test expects.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Structured = Record<string, any>;

describe("tool definitions", () => {
  it("lists every tool with a title, description, both schemas and annotations", async () => {
    const { client, close } = await connect();
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(TOOL_NAMES);
    for (const tool of tools) {
      expect(tool.title, tool.name).toBeTruthy();
      expect(tool.description, tool.name).toBeTruthy();
      expect(tool.inputSchema.type, tool.name).toBe("object");
      expect(tool.outputSchema?.type, tool.name).toBe("object");
      expect(tool.annotations?.readOnlyHint, tool.name).toBeTypeOf("boolean");
    }
    const apply = tools.find((t) => t.name === "apply_integration")!;
    expect(apply.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    const search = tools.find((t) => t.name === "search_docs")!;
    expect((search.inputSchema.properties as Structured).query.maxLength).toBe(500);
    await close();
  });

  it("an unknown tool is a protocol-level answer, not a crash", async () => {
    const { client, close } = await connect();
    const result = await client.callTool({ name: "no_such_tool", arguments: {} });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/not found/);
    await close();
  });
});

describe("docs tools", () => {
  let session: Awaited<ReturnType<typeof connect>>;
  beforeAll(async () => {
    session = await connect();
  });
  afterAll(() => session.close());

  it("search_docs returns ranked whole sections with URIs", async () => {
    const result = await session.client.callTool({
      name: "search_docs",
      arguments: { query: "how do I enable the governor" },
    });
    expect(result.isError).toBeFalsy();
    const { results } = result.structuredContent as Structured;
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThanOrEqual(5);
    for (const r of results) expect(r.uri).toMatch(/^governor:\/\/docs\//);
    expect(textOf(result)).toContain(results[0].uri);
  });

  it("search_docs keeps to maxTokens", async () => {
    const result = await session.client.callTool({
      name: "search_docs",
      arguments: { query: "fail closed", maxTokens: 300, limit: 10 },
    });
    const { results } = result.structuredContent as Structured;
    const chars = results.reduce((n: number, r: Structured) => n + r.text.length, 0);
    expect(chars / 4).toBeLessThanOrEqual(300);
  });

  it("search_docs refuses an oversized query with a suggestion", async () => {
    const result = await session.client.callTool({ name: "search_docs", arguments: { query: "x".repeat(501) } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/500 characters: shorten it/);
  });

  it("search_docs refuses an unknown framework, naming the valid ones", async () => {
    const result = await session.client.callTool({
      name: "search_docs",
      arguments: { query: "tools", framework: "django" },
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/framework must be one of: openai-agents/);
  });

  it("list_docs and get_doc read every listed document", async () => {
    const listed = await session.client.callTool({ name: "list_docs", arguments: {} });
    const { docs } = listed.structuredContent as Structured;
    expect(docs.length).toBeGreaterThan(0);
    const first = docs[0];
    const doc = await session.client.callTool({ name: "get_doc", arguments: { uri: first.uri } });
    expect(doc.isError).toBeFalsy();
    expect((doc.structuredContent as Structured).text.length).toBeGreaterThan(0);
    // A bare slug works too: agents often drop the scheme.
    const bySlug = await session.client.callTool({ name: "get_doc", arguments: { uri: first.uri.split("/").pop() } });
    expect((bySlug.structuredContent as Structured).uri).toBe(first.uri);
  });

  it("get_doc on an unknown URI is an isError result with a suggestion", async () => {
    const result = await session.client.callTool({
      name: "get_doc",
      arguments: { uri: "governor://docs/no-such-page" },
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/NOT_FOUND/);
    expect(textOf(result)).toMatch(/Suggestion: /);
  });

  it("get_doc serves the intent event schema", async () => {
    const result = await session.client.callTool({
      name: "get_doc",
      arguments: { uri: "governor://schema/intent-event" },
    });
    const schema = JSON.parse((result.structuredContent as Structured).text);
    expect(schema.required).toEqual(expect.arrayContaining(["action", "resource"]));
  });

  it("get_recipe returns structured steps with code", async () => {
    const result = await session.client.callTool({ name: "get_recipe", arguments: { framework: "openai-agents" } });
    expect(result.isError, textOf(result)).toBeFalsy();
    const recipe = result.structuredContent as Structured;
    expect(recipe.framework).toBe("openai-agents");
    expect(recipe.mode).toBe("hybrid");
    expect(recipe.steps.length).toBeGreaterThan(0);
    expect(recipe.steps.some((s: Structured) => s.code.length > 0)).toBe(true);
  });

  it("get_recipe refuses an unknown mode", async () => {
    const result = await session.client.callTool({
      name: "get_recipe",
      arguments: { framework: "mastra", mode: "magic" },
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/mode must be one of: preload/);
  });
});

describe("resources", () => {
  let session: Awaited<ReturnType<typeof connect>>;
  beforeAll(async () => {
    session = await connect();
  });
  afterAll(() => session.close());

  it("lists the docs, the API reference and the intent schema, and the docs template", async () => {
    const { resources } = await session.client.listResources();
    const uris = resources.map((r) => r.uri);
    expect(uris).toContain("governor://schema/intent-event");
    expect(uris).toContain("governor://docs/api");
    expect(uris.filter((u) => u.startsWith("governor://docs/")).length).toBeGreaterThan(1);
    const { resourceTemplates } = await session.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toContain("governor://docs/{slug}");
  });

  it("reads a doc through the template, and the schema", async () => {
    const { resources } = await session.client.listResources();
    const doc = resources.find((r) => r.uri.startsWith("governor://docs/") && r.uri !== "governor://docs/api")!;
    const read = await session.client.readResource({ uri: doc.uri });
    expect(read.contents[0]).toMatchObject({ uri: doc.uri, mimeType: "text/markdown" });
    const schema = await session.client.readResource({ uri: "governor://schema/intent-event" });
    expect(JSON.parse(String((schema.contents[0] as Structured).text)).properties.action.type).toBe("string");
  });

  it("reads the API reference", async () => {
    const read = await session.client.readResource({ uri: "governor://docs/api" });
    expect(String((read.contents[0] as Structured).text)).toMatch(/governor/i);
  });

  it("an unknown doc URI is a resource-not-found protocol error with a suggestion", async () => {
    const error = await session.client.readResource({ uri: "governor://docs/nope" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).code).toBe(-32002);
    // The suggestion names the documents that do exist.
    expect((error as McpError).message).toMatch(/not found[\s\S]*governor:\/\/docs\/quick-start/);
  });

  it("completes doc slugs", async () => {
    const { resources } = await session.client.listResources();
    const slug = resources
      .find((r) => r.uri.startsWith("governor://docs/") && r.uri !== "governor://docs/api")!
      .uri.split("/")
      .pop()!;
    const result = await session.client.complete({
      ref: { type: "ref/resource", uri: "governor://docs/{slug}" },
      argument: { name: "slug", value: slug.slice(0, 2) },
    });
    expect(result.completion.values).toContain(slug);
    for (const value of result.completion.values) expect(value.startsWith(slug.slice(0, 2))).toBe(true);
  });
});

describe("prompts", () => {
  let session: Awaited<ReturnType<typeof connect>>;
  beforeAll(async () => {
    session = await connect();
  });
  afterAll(() => session.close());

  it("lists the three prompts", async () => {
    const { prompts } = await session.client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual(["diagnose-denial", "governed-tool-use", "integrate-governor"]);
    const integrate = prompts.find((p) => p.name === "integrate-governor")!;
    expect(integrate.arguments).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: "framework", required: true })]),
    );
  });

  it("integrate-governor names the framework, the mode and the tools in order", async () => {
    const result = await session.client.getPrompt({
      name: "integrate-governor",
      arguments: { framework: "mastra", mode: "enable" },
    });
    const text = (result.messages[0]!.content as Structured).text as string;
    expect(text).toContain("Mastra");
    expect(text).toContain('get_recipe { framework: "mastra", mode: "enable" }');
    expect(text.indexOf("detect_stack")).toBeLessThan(text.indexOf("apply_integration"));
  });

  it("governed-tool-use and diagnose-denial render", async () => {
    const tool = await session.client.getPrompt({ name: "governed-tool-use", arguments: { framework: "vercel-ai" } });
    expect((tool.messages[0]!.content as Structured).text).toContain("build_intent");
    const denial = await session.client.getPrompt({ name: "diagnose-denial", arguments: { requestId: "abc-123" } });
    expect((denial.messages[0]!.content as Structured).text).toContain('explain_decision { requestId: "abc-123" }');
  });

  it("completes framework and mode names from the templates tables", async () => {
    const framework = await session.client.complete({
      ref: { type: "ref/prompt", name: "integrate-governor" },
      argument: { name: "framework", value: "lang" },
    });
    expect(framework.completion.values).toEqual(["langchain", "langgraph"]);
    const mode = await session.client.complete({
      ref: { type: "ref/prompt", name: "integrate-governor" },
      argument: { name: "mode", value: "h" },
    });
    expect(mode.completion.values).toEqual(["hybrid"]);
  });

  it("an unknown framework in a prompt is a protocol error", async () => {
    await expect(
      session.client.getPrompt({ name: "integrate-governor", arguments: { framework: "django" } }),
    ).rejects.toBeInstanceOf(McpError);
  });
});

describe("paths are confined to the roots", () => {
  const root = tempDir();
  const outside = tempDir("gi-mcp-outside-");
  mkdirSync(path.join(root, "app"));
  symlinkSync(outside, path.join(root, "link-out"));
  symlinkSync(path.join(root, "app"), path.join(root, "link-in"));

  async function status(pathArg: string | undefined, roots = [root], clientRoots?: string[]) {
    const { client, close } = await connect({ roots, env: {} }, clientRoots);
    const result = await client.callTool({
      name: "governor_status",
      arguments: pathArg === undefined ? {} : { path: pathArg },
    });
    await close();
    return result;
  }

  it("resolves the default and relative paths against the root", async () => {
    expect(((await status(undefined)).structuredContent as Structured).dir).toBe(root);
    expect(((await status("app")).structuredContent as Structured).dir).toBe(path.join(root, "app"));
  });

  it.each([
    ["..", "a parent"],
    ["app/../../", "a .. escape through a subdirectory"],
    ["link-out", "a symlink out"],
  ])("refuses %s (%s)", async (input) => {
    const result = await status(input);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/PATH_OUTSIDE_ROOT/);
    expect(textOf(result)).toMatch(/Suggestion: Pass a path inside/);
  });

  it("refuses an absolute path elsewhere", async () => {
    const result = await status(outside);
    expect(textOf(result)).toMatch(/PATH_OUTSIDE_ROOT/);
  });

  it("follows a symlink that stays inside", async () => {
    expect(((await status("link-in")).structuredContent as Structured).dir).toBe(path.join(root, "app"));
  });

  it("reports a missing path as NOT_FOUND", async () => {
    const result = await status("does-not-exist");
    expect(textOf(result)).toMatch(/NOT_FOUND/);
  });

  it("uses the client's roots when it has them, not the server's directory", async () => {
    const ok = await status(".", [outside], [root]);
    expect((ok.structuredContent as Structured).dir).toBe(root);
    const refused = await status(outside, [outside], [root]);
    expect(textOf(refused)).toMatch(/PATH_OUTSIDE_ROOT/);
  });

  it("asks the client again after notifications/roots/list_changed", async () => {
    const other = tempDir();
    const roots = [root];
    const { client, close } = await connect({ roots: [outside], env: {} }, roots);
    const before = await client.callTool({ name: "governor_status", arguments: {} });
    expect((before.structuredContent as Structured).dir).toBe(root);
    roots.splice(0, 1, other);
    await client.sendRootsListChanged();
    // The notification is handled asynchronously; the next call sees the new roots.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const after = await client.callTool({ name: "governor_status", arguments: {} });
    expect((after.structuredContent as Structured).dir).toBe(other);
    await close();
  });

  it("reports a client that fails roots/list as SERVICE_UNAVAILABLE, not a crash", async () => {
    const server = createGovernorMcpServer({ roots: [root], env: {} });
    const client = new Client({ name: "broken-roots", version: "1" }, { capabilities: { roots: {} } });
    client.setRequestHandler(ListRootsRequestSchema, () => {
      throw new Error("no roots here");
    });
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
    const result = await client.callTool({ name: "governor_status", arguments: {} });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/SERVICE_UNAVAILABLE[\s\S]*Suggestion: Retry/);
    await client.close();
  });

  it("confines the codemod tools before any engine runs", async () => {
    const { client, close } = await connect({ roots: [root] });
    for (const name of ["detect_stack", "plan_integration", "apply_integration", "check_integration"]) {
      const result = await client.callTool({ name, arguments: { path: "link-out" } });
      expect(textOf(result), name).toMatch(/PATH_OUTSIDE_ROOT/);
    }
    await close();
  });
});

describe("governor_status", () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMockServer({ port: 0 });
  });
  afterAll(() => mock.close());

  it("reports the installed SDK, the env file, a reachable enforce URL and the running mock", async () => {
    const project = tempDir();
    writeFileSync(path.join(project, "package.json"), JSON.stringify({ dependencies: { "@governor/sdk": "^9.8.0" } }));
    mkdirSync(path.join(project, "node_modules", "@governor", "sdk"), { recursive: true });
    writeFileSync(
      path.join(project, "node_modules", "@governor", "sdk", "package.json"),
      JSON.stringify({ name: "@governor/sdk", version: "9.8.7" }),
    );
    writeFileSync(
      path.join(project, ".env"),
      `# local\nGOVERNOR_ENFORCE_URL=${mock.url}\nexport GOVERNOR_API_KEY="very-secret-key"\nOTHER=1\n`,
    );
    const { client, close } = await connect({ roots: [project], env: {} });
    const result = await client.callTool({ name: "governor_status", arguments: {} });
    await close();
    const status = result.structuredContent as Structured;
    expect(status.sdk).toMatchObject({ installed: true, version: "9.8.7", declaredRange: "^9.8.0" });
    expect(status.env.configured).toBe(true);
    const key = status.env.variables.find((v: Structured) => v.name === "GOVERNOR_API_KEY");
    expect(key).toMatchObject({ set: true, source: ".env" });
    expect(key.value).toBeUndefined();
    expect(JSON.stringify(result)).not.toContain("very-secret-key");
    expect(status.enforce).toMatchObject({ url: mock.url, reachable: true, status: 200 });
    expect(status.mock).toMatchObject({ running: true });
    expect(status.nextSteps).toEqual([]);
  });

  it("says what is missing in an empty project with an unreachable enforce URL", async () => {
    const project = tempDir();
    const { client, close } = await connect({
      roots: [project],
      // Port 1 on loopback: nothing listens there.
      env: { GOVERNOR_ENFORCE_URL: "http://127.0.0.1:1", GOVERNOR_DEV_BYPASS: "1" },
    });
    const result = await client.callTool({ name: "governor_status", arguments: {} });
    await close();
    const status = result.structuredContent as Structured;
    expect(status.sdk.installed).toBe(false);
    expect(status.enforce.reachable).toBe(false);
    expect(status.mock.running).toBe(false);
    const steps = status.nextSteps.join("\n");
    expect(steps).toMatch(/npm install @governor\/sdk/);
    expect(steps).toMatch(/governor-init mock/);
    expect(steps).toMatch(/GOVERNOR_DEV_BYPASS/);
  });
});

describe("explain_decision", () => {
  let mock: MockServer;
  let session: Awaited<ReturnType<typeof connect>>;
  beforeAll(async () => {
    mock = await startMockServer({ port: 0, policy: "deny-all" });
    session = await connect({ env: {} });
  });
  afterAll(async () => {
    await session.close();
    await mock.close();
  });

  async function enforce(event: unknown): Promise<Structured> {
    const res = await fetch(`${mock.url}/api/v2/enforce`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer test-key" },
      body: JSON.stringify(event),
    });
    return (await res.json()) as Structured;
  }

  const event = {
    action: "query",
    actor: { id: "user-1", type: "user" },
    resource: { type: "postgres_db", name: "users" },
    data: { sensitivity: ["confidential"], volume: "bulk" },
  };

  it("explains a real DENY from the mock, pasted as the response", async () => {
    const response = await enforce(event);
    expect(response.decision).toBe("DENY");
    const result = await session.client.callTool({ name: "explain_decision", arguments: { response } });
    expect(result.isError, textOf(result)).toBeFalsy();
    const explanation = result.structuredContent as Structured;
    expect(explanation).toMatchObject({
      decision: "DENY",
      requestId: response.metadata.request_id,
      source: "response",
    });
    expect(explanation.trace.map((s: Structured) => s.field)).toEqual(
      expect.arrayContaining(["action", "resource_type"]),
    );
    expect(explanation.nextSteps.join("\n")).toMatch(/narrow the data/);
  });

  it("finds a decision by request id in the mock's log and rebuilds its trace", async () => {
    const response = await enforce({ ...event, action: "raed" });
    const requestId = response.metadata.request_id as string;
    const result = await session.client.callTool({
      name: "explain_decision",
      arguments: { requestId, mockUrl: mock.url },
    });
    expect(result.isError, textOf(result)).toBeFalsy();
    const explanation = result.structuredContent as Structured;
    expect(explanation).toMatchObject({ decision: "DENY", requestId, source: "mock-log" });
    const action = explanation.trace.find((s: Structured) => s.field === "action");
    expect(action.rawInput).toBe("raed");
    expect(action.concern).toBeTruthy();
  });

  it("an unknown request id is NOT_FOUND", async () => {
    const result = await session.client.callTool({
      name: "explain_decision",
      arguments: { requestId: "00000000-0000-0000-0000-000000000000", mockUrl: mock.url },
    });
    expect(textOf(result)).toMatch(/NOT_FOUND/);
  });

  it("explains an error body (401) with what to set", async () => {
    const result = await session.client.callTool({
      name: "explain_decision",
      arguments: { response: JSON.stringify({ detail: "Invalid API key", status: 401 }) },
    });
    const explanation = result.structuredContent as Structured;
    expect(explanation.decision).toBe("ERROR");
    expect(explanation.nextSteps.join(" ")).toMatch(/GOVERNOR_API_KEY/);
  });

  it("flags a low-confidence canonicalization in a pasted response", async () => {
    const response = {
      decision: "DENY",
      enforcement_latency_ms: 3,
      metadata: {
        request_id: "r-1",
        canonicalization_trace: [
          {
            field: "action",
            raw_input: "purge",
            prediction: { canonical: "delete", confidence: 0.95, source: "synonym" },
          },
          {
            field: "resource_type",
            raw_input: "custmers",
            prediction: { canonical: "database", confidence: 0.41, source: "fuzzy" },
          },
        ],
      },
    };
    const result = await session.client.callTool({ name: "explain_decision", arguments: { response } });
    const trace = (result.structuredContent as Structured).trace as Structured[];
    expect(trace[0]!.concern).toBeUndefined();
    expect(trace[1]!.concern).toMatch(/fuzzy/);
  });

  it("refuses bad input with a suggestion", async () => {
    for (const args of [{}, { response: "not json" }, { requestId: "x", mockUrl: "http://example.com" }]) {
      const result = await session.client.callTool({ name: "explain_decision", arguments: args });
      expect(result.isError, JSON.stringify(args)).toBe(true);
      expect(textOf(result)).toMatch(/INVALID_INPUT[\s\S]*Suggestion: /);
    }
  });
});

describe("build_intent", () => {
  let session: Awaited<ReturnType<typeof connect>>;
  beforeAll(async () => {
    session = await connect();
  });
  afterAll(() => session.close());

  it("builds a valid intent event from a tool's name and schema, explaining each field", async () => {
    const result = await session.client.callTool({
      name: "build_intent",
      arguments: {
        name: "delete_customer",
        description: "Deletes a customer record from the CRM database",
        parameters: { type: "object", properties: { customerId: { type: "string" } } },
      },
    });
    expect(result.isError, textOf(result)).toBeFalsy();
    const { intent, explanation, snippet, confident } = result.structuredContent as Structured;
    expect(IntentEventSchema.safeParse(intent).success).toBe(true);
    expect(intent.action).toBe("delete");
    expect(intent.context).toEqual({ tool: "delete_customer" });
    expect(confident).toBe(true);
    expect(explanation.map((e: Structured) => e.field)).toEqual(
      expect.arrayContaining(["action", "resource.type", "actor"]),
    );
    expect(snippet).toContain("governTool(");
  });

  it("builds one from a description alone", async () => {
    const result = await session.client.callTool({
      name: "build_intent",
      arguments: { description: "send an email to the customer" },
    });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(((result.structuredContent as Structured).intent as Structured).action).toBe("write");
  });

  it("refuses an oversized argument payload", async () => {
    const properties = Object.fromEntries(Array.from({ length: 6000 }, (_, i) => [`p${i}`, { type: "string" }]));
    const result = await session.client.callTool({
      name: "build_intent",
      arguments: { name: "huge", parameters: { type: "object", properties } },
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/more than the maximum/);
  });

  it("refuses an empty request with a suggestion", async () => {
    const result = await session.client.callTool({ name: "build_intent", arguments: {} });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/Suggestion: Pass description/);
  });
});

describe("codemod tools", () => {
  const project = tempDir();
  writeFileSync(
    path.join(project, "package.json"),
    JSON.stringify({
      name: "fixture-app",
      type: "module",
      main: "src/index.ts",
      dependencies: { "@openai/agents": "^0.1.0" },
    }),
  );
  mkdirSync(path.join(project, "src"));
  const source = [
    'import { tool } from "@openai/agents";',
    "",
    "export const weather = tool({",
    '  name: "get_weather",',
    '  description: "Get the weather for a city",',
    '  parameters: { type: "object", properties: { city: { type: "string" } } },',
    "  execute: async ({ city }) => {",
    "    const res = await fetch(`https://api.weather.example/v1?q=${city}`);",
    "    return res.text();",
    "  },",
    "});",
    "",
  ].join("\n");
  writeFileSync(path.join(project, "src", "index.ts"), source);

  let session: Awaited<ReturnType<typeof connect>>;
  beforeAll(async () => {
    session = await connect({ roots: [project] });
  });
  afterAll(() => session.close());

  it("detect_stack finds the framework", async () => {
    const result = await session.client.callTool({ name: "detect_stack", arguments: {} });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(JSON.stringify((result.structuredContent as Structured).stack)).toContain("openai-agents");
  });

  it("plan_integration shows diffs and writes nothing", async () => {
    const result = await session.client.callTool({ name: "plan_integration", arguments: { mode: "hybrid" } });
    expect(result.isError, textOf(result)).toBeFalsy();
    const plan = result.structuredContent as Structured;
    expect(plan.summary.edits).toBeGreaterThan(0);
    expect(plan.files.map((f: Structured) => f.path).join()).toContain("index.ts");
    expect(plan.diff).toContain("@governor/sdk");
    expect(readFileSync(path.join(project, "src", "index.ts"), "utf8")).toBe(source);
  });

  it("apply_integration edits the files, and check_integration reports on the result", async () => {
    const applied = await session.client.callTool({
      name: "apply_integration",
      arguments: { mode: "hybrid", allowDirty: true },
    });
    expect(applied.isError, textOf(applied)).toBeFalsy();
    expect(readFileSync(path.join(project, "src", "index.ts"), "utf8")).toContain("@governor/sdk");
    const checked = await session.client.callTool({ name: "check_integration", arguments: {} });
    expect(checked.isError, textOf(checked)).toBeFalsy();
    expect((checked.structuredContent as Structured).path).toBe(project);
  });
});
