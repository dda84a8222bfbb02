/**
 * The governing proxy end to end: the BUILT CLI (`dist/cli/bin.js proxy`, as `npm test` builds it) in
 * front of real MCP servers (the reference `server-everything` and `server-filesystem` from npm, and a
 * small counting server), driven by a real MCP `Client` over stdio, deciding against the real enforce
 * mock on loopback.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import {
  CreateMessageRequestSchema,
  ListRootsRequestSchema,
  type CallToolResult,
  type ClientCapabilities,
} from "@modelcontextprotocol/sdk/types.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startMockServer, type MockServer } from "../enforce-mock/index.js";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CLI = path.join(REPO, "dist/cli/bin.js");
const EVERYTHING = path.join(REPO, "node_modules/@modelcontextprotocol/server-everything/dist/index.js");
const FILESYSTEM = path.join(REPO, "node_modules/@modelcontextprotocol/server-filesystem/dist/index.js");
const COUNTING = path.join(REPO, "proxy/fixtures/counting-server.mjs");
const INSPECTOR = path.join(REPO, "node_modules/@modelcontextprotocol/inspector-cli/build/cli.js");

let mock: MockServer;
const open: Array<{ close(): Promise<void> }> = [];
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "gi-proxy-"));
  dirs.push(dir);
  return dir;
}

/** The environment without any GOVERNOR_* of the machine running the tests. */
function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith("GOVERNOR_")) env[key] = value;
  }
  return { ...env, ...extra };
}

function governorEnv(url = mock.url, extra: Record<string, string> = {}): Record<string, string> {
  return cleanEnv({ GOVERNOR_ENFORCE_URL: url, GOVERNOR_API_KEY: "test-key", ...extra });
}

interface Connected {
  client: Client;
  transport: StdioClientTransport;
  stderr: () => string;
}

async function connect(
  command: string,
  args: string[],
  env: Record<string, string>,
  capabilities: ClientCapabilities = {},
  setup?: (client: Client) => void,
): Promise<Connected> {
  const transport = new StdioClientTransport({ command, args, env, stderr: "pipe" });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: "proxy-test", version: "1.0.0" }, { capabilities });
  setup?.(client);
  await client.connect(transport);
  open.push(client);
  return { client, transport, stderr: () => stderr };
}

function viaProxy(
  proxyArgs: string[],
  server: string[],
  env: Record<string, string>,
  capabilities?: ClientCapabilities,
  setup?: (client: Client) => void,
): Promise<Connected> {
  return connect(process.execPath, [CLI, "proxy", ...proxyArgs, "--", ...server], env, capabilities, setup);
}

function direct(
  server: string[],
  capabilities?: ClientCapabilities,
  setup?: (client: Client) => void,
): Promise<Connected> {
  return connect(server[0]!, server.slice(1), cleanEnv({}), capabilities, setup);
}

function text(result: unknown): string {
  return ((result as CallToolResult).content[0] as { text: string }).text;
}

async function waitFor(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const everything = [process.execPath, EVERYTHING, "stdio"];

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error("dist/cli/bin.js is missing: run npm run build first.");
  mock = await startMockServer({ port: 0, policy: "allow-all" });
});

afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((c) => c.close()));
  mock.installPolicy("allow-all");
  mock.setFaults({});
});

afterAll(async () => {
  await mock.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("pass-through (server-everything behind the proxy, compared with a direct connection)", () => {
  it("initialize, tools, resources, prompts and allowed calls are exactly the server's", async () => {
    const capabilities: ClientCapabilities = { roots: { listChanged: true }, sampling: {} };
    const setup = (client: Client) => {
      client.setRequestHandler(ListRootsRequestSchema, () => ({
        roots: [{ uri: "file:///work/project", name: "project" }],
      }));
      client.setRequestHandler(CreateMessageRequestSchema, () => ({
        role: "assistant",
        content: { type: "text", text: "sampled by the test client" },
        model: "test-model",
      }));
    };
    const proxied = await viaProxy([], everything, governorEnv(), capabilities, setup);
    const plain = await direct(everything, capabilities, setup);

    expect(proxied.client.getServerVersion()).toEqual(plain.client.getServerVersion());
    expect(proxied.client.getServerCapabilities()).toEqual(plain.client.getServerCapabilities());
    expect(proxied.client.getInstructions()).toEqual(plain.client.getInstructions());
    // Tools that depend on the client's capabilities (sampling, roots) are there: the server saw the real client.
    const tools = await proxied.client.listTools();
    expect(tools).toEqual(await plain.client.listTools());
    expect(tools.tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(["trigger-sampling-request", "get-roots-list"]),
    );
    expect(await proxied.client.listResources()).toEqual(await plain.client.listResources());
    expect(await proxied.client.listResourceTemplates()).toEqual(await plain.client.listResourceTemplates());
    expect(await proxied.client.listPrompts()).toEqual(await plain.client.listPrompts());
    const first = (await plain.client.listResources()).resources[0]!;
    expect(await proxied.client.readResource({ uri: first.uri })).toEqual(
      await plain.client.readResource({ uri: first.uri }),
    );

    for (const [name, args] of [
      ["echo", { message: "hello through the proxy" }],
      ["get-sum", { a: 2, b: 40 }],
      ["get-structured-content", { location: "New York" }],
      ["get-tiny-image", {}],
    ] as const) {
      const viaProxyResult = await proxied.client.callTool({ name, arguments: args });
      expect(viaProxyResult).toEqual(await plain.client.callTool({ name, arguments: args }));
      expect(viaProxyResult.isError).toBeFalsy();
    }
    const decided = mock
      .decisions()
      .filter((d) => (d.intent as { context?: { tool?: string } }).context?.tool === "get-sum");
    expect(decided.at(-1)).toMatchObject({ decision: "ALLOW" });

    // Server → client requests pass through to the real client's handlers.
    const sampled = await proxied.client.callTool({ name: "trigger-sampling-request", arguments: { prompt: "hi" } });
    expect(text(sampled)).toContain("sampled by the test client");
    const roots = await proxied.client.callTool({ name: "get-roots-list", arguments: {} });
    expect(text(roots)).toContain("file:///work/project");
    // logging/setLevel reaches the server (the proxy's own Server would otherwise answer it).
    await expect(proxied.client.setLoggingLevel("debug")).resolves.toEqual({});
  });

  it("passes progress notifications back under the client's own token", async () => {
    const { client } = await viaProxy([], everything, governorEnv());
    const progress: number[] = [];
    const result = await client.callTool(
      { name: "trigger-long-running-operation", arguments: { duration: 2, steps: 4 } },
      undefined,
      { onprogress: (p) => progress.push(p.progress) },
    );
    expect(result.isError).toBeFalsy();
    // The server sends its last progress and its result back to back. The proxy relays both in order,
    // but the MCP SDK's Client (this test's) handles a notification a microtask after a response read
    // with it, so it may drop that last one (a direct connection too). The earlier ones are apart.
    expect(progress.slice(0, 3)).toEqual([1, 2, 3]);
    expect(progress.length).toBeLessThanOrEqual(4);
  });

  it("works with the MCP Inspector CLI", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        INSPECTOR,
        "--cli",
        process.execPath,
        CLI,
        "proxy",
        "--",
        ...everything,
        "--method",
        "tools/call",
        "--tool-name",
        "echo",
        "--tool-arg",
        "message=inspected",
      ],
      { env: governorEnv(), timeout: 60_000 },
    );
    expect(JSON.parse(stdout)).toEqual({ content: [{ type: "text", text: "Echo: inspected" }] });
  });
});

describe("decisions", () => {
  it("a denied write_file never reaches server-filesystem: the file does not appear", async () => {
    const root = tempDir();
    mock.installPolicy({
      name: "scratch-only",
      default: "deny",
      rules: [
        {
          id: "scratch",
          effect: "allow",
          reason: "Writes under scratch/ are allowed.",
          match: { action: "write", resource_type: "filesystem", resource_name: `${root}/scratch/**` },
        },
      ],
    });
    const { client } = await viaProxy(["--name", "filesystem"], [process.execPath, FILESYSTEM, root], governorEnv());
    await client.callTool({ name: "create_directory", arguments: { path: `${root}/scratch` } }).catch(() => undefined);

    const denied = await client.callTool({
      name: "write_file",
      arguments: { path: `${root}/secret.txt`, content: "x" },
    });
    expect(denied.isError).toBe(true);
    expect(text(denied)).toContain("Governor denied this tool call");
    expect(text(denied)).toContain("No rule matched");
    // write_file declares an outputSchema: the report is in _meta only (a client validates structuredContent against the schema).
    expect(denied.structuredContent).toBeUndefined();
    const report = denied._meta!["governor/decision"];
    const last = mock.decisions().at(-1)!;
    expect(report).toMatchObject({
      decision: "DENY",
      requestId: last.request_id,
      tool: "write_file",
      server: "filesystem",
    });
    expect(last.intent).toMatchObject({
      action: "write",
      resource: { type: "filesystem", name: `${root}/secret.txt` },
    });
    expect(existsSync(path.join(root, "secret.txt"))).toBe(false);
  });

  it("an allowed write_file runs and returns the server's own result", async () => {
    const root = tempDir();
    mock.installPolicy({
      default: "deny",
      rules: [
        {
          id: "tmp",
          effect: "allow",
          reason: "ok",
          match: { resource_type: "filesystem", resource_name: `${root}/**` },
        },
      ],
    });
    const { client } = await viaProxy(["--name", "filesystem"], [process.execPath, FILESYSTEM, root], governorEnv());
    const result = await client.callTool({
      name: "write_file",
      arguments: { path: `${root}/ok.txt`, content: "hello" },
    });
    expect(result).toEqual({
      content: [{ type: "text", text: `Successfully wrote to ${root}/ok.txt` }],
      structuredContent: { content: `Successfully wrote to ${root}/ok.txt` },
    });
    expect(readFileSync(path.join(root, "ok.txt"), "utf8")).toBe("hello");
  });

  it("a denied call never reaches the server (counting server); an allowed one does, once", async () => {
    const state = tempDir();
    mock.installPolicy({
      default: "allow",
      rules: [
        { id: "no-deletes", effect: "deny", reason: "Deleting records needs a human.", match: { action: "delete" } },
      ],
    });
    const { client } = await viaProxy(
      [],
      [process.execPath, COUNTING],
      governorEnv(undefined, { COUNTING_SERVER_DIR: state }),
    );
    const denied = await client.callTool({ name: "delete_record", arguments: { id: "r1" } });
    expect(denied.isError).toBe(true);
    expect(text(denied)).toContain("Deleting records needs a human.");
    expect(text(denied)).toContain("Next steps:");
    expect(await client.callTool({ name: "get_record", arguments: { id: "r1" } })).toEqual({
      content: [{ type: "text", text: "record r1" }],
    });
    expect(readFileSync(path.join(state, "calls"), "utf8")).toBe("get_record\n");
  });

  it("fails closed with a distinct message when the policy service is down, errors or answers garbage", async () => {
    const state = tempDir();
    const down = `http://127.0.0.1:${await freePort()}`;
    const { client } = await viaProxy(
      [],
      [process.execPath, COUNTING],
      governorEnv(down, { COUNTING_SERVER_DIR: state }),
    );
    const result = await client.callTool({ name: "get_record", arguments: { id: "r1" } });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain("no policy decision could be had");
    expect(text(result)).not.toContain("denied");
    expect((result.structuredContent as { governor: { decision: string } }).governor.decision).toBe("UNAVAILABLE");

    const faulty = await viaProxy(
      [],
      [process.execPath, COUNTING],
      governorEnv(undefined, { COUNTING_SERVER_DIR: state }),
    );
    mock.setFaults({ status: 500 });
    expect(text(await faulty.client.callTool({ name: "get_record", arguments: { id: "r2" } }))).toContain("HTTP 500");
    mock.setFaults({ malformedRate: 1 });
    expect(text(await faulty.client.callTool({ name: "get_record", arguments: { id: "r3" } }))).toContain(
      "no policy decision could be had",
    );
    expect(existsSync(path.join(state, "calls"))).toBe(false);
  });

  it("--fail-mode open runs an undecidable call, with a loud warning", async () => {
    const state = tempDir();
    const down = `http://127.0.0.1:${await freePort()}`;
    const { client, stderr } = await viaProxy(
      ["--fail-mode", "open"],
      [process.execPath, COUNTING],
      governorEnv(down, { COUNTING_SERVER_DIR: state }),
    );
    expect(text(await client.callTool({ name: "get_record", arguments: { id: "r1" } }))).toBe("record r1");
    expect(stderr()).toContain("fail mode is OPEN");
    expect(stderr()).toContain("GOVERNOR_FAIL_MODE=open");
  });

  it("applies an override file, and refuses an invalid one with the field named", async () => {
    const dir = tempDir();
    const file = path.join(dir, "overrides.yaml");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(
      file,
      'overrides:\n  - tool: "get_*"\n    action: read\n    resource: { type: database, name: records }\n    data: { pii: true, sensitivity: [confidential] }\n',
    );
    const { client } = await viaProxy(["--overrides", file], [process.execPath, COUNTING], governorEnv());
    await client.callTool({ name: "get_record", arguments: { id: "r9" } });
    expect(mock.decisions().at(-1)!.intent).toMatchObject({
      action: "read",
      resource: { type: "database", name: "records" },
      data: { pii: true, sensitivity: ["confidential"] },
    });

    writeFileSync(file, "overrides:\n  - tool: get_*\n    acton: read\n");
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        [CLI, "proxy", "--overrides", file, "--", process.execPath, COUNTING],
        { env: governorEnv() },
        (error, _stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr }),
      );
      child.stdin?.end();
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("overrides.0");
    expect(run.stderr).toContain("acton");
  });
});

describe("robustness", () => {
  it("ends the server process when the client disconnects (no orphan)", async () => {
    const state = tempDir();
    const { client, transport } = await viaProxy(
      [],
      [process.execPath, COUNTING],
      governorEnv(undefined, { COUNTING_SERVER_DIR: state }),
    );
    await client.callTool({ name: "get_record", arguments: { id: "r1" } });
    const serverPid = Number(readFileSync(path.join(state, "pid"), "utf8"));
    const proxyPid = transport.pid!;
    expect(alive(serverPid)).toBe(true);
    await client.close();
    await waitFor(() => !alive(serverPid), "the server process to end");
    await waitFor(() => !alive(proxyPid), "the proxy process to end");
  });

  it("ends the server when its client is killed outright while the pipe stays open (parent gone)", async () => {
    const state = tempDir();
    const { spawn, execFileSync } = await import("node:child_process");
    const { openSync, writeSync, closeSync } = await import("node:fs");
    // The proxy's stdin is a FIFO this test keeps open, so no end of input tells it anything: only its
    // parent (a wrapper shell, like npx) going away does.
    const fifo = path.join(state, "stdin");
    execFileSync("mkfifo", [fifo]);
    const writer = openSync(fifo, "r+");
    open.push({ close: async () => closeSync(writer) });
    const wrapper = spawn(
      "sh",
      ["-c", `"${process.execPath}" "${CLI}" proxy -- "${process.execPath}" "${COUNTING}" < "${fifo}" & wait`],
      { env: governorEnv(undefined, { COUNTING_SERVER_DIR: state }), stdio: "ignore" },
    );
    const initialize = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
    };
    writeSync(writer, JSON.stringify(initialize) + "\n");
    await waitFor(() => existsSync(path.join(state, "pid")), "the server to start");
    const serverPid = Number(readFileSync(path.join(state, "pid"), "utf8"));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(alive(serverPid)).toBe(true);
    wrapper.kill("SIGKILL");
    await waitFor(() => !alive(serverPid), "the server process to end", 15_000);
  });

  it("answers a clear error, without hanging, when the server crashes mid-call; then ends", async () => {
    const state = tempDir();
    let closed = false;
    const { client } = await viaProxy(
      [],
      [process.execPath, COUNTING],
      governorEnv(undefined, { COUNTING_SERVER_DIR: state }),
    );
    client.onclose = () => (closed = true);
    await expect(client.callTool({ name: "crash", arguments: {} })).rejects.toThrow(
      /closed the connection \(it exited or crashed\)/,
    );
    await waitFor(() => closed, "the proxy to end the session");
  });

  it("survives garbage on the server's stdout", async () => {
    const state = tempDir();
    const { client, stderr } = await viaProxy(
      [],
      [process.execPath, COUNTING],
      governorEnv(undefined, { COUNTING_SERVER_DIR: state, COUNTING_SERVER_GARBAGE: "1" }),
    );
    expect(text(await client.callTool({ name: "noisy", arguments: {} }))).toBe("still here");
    expect(text(await client.callTool({ name: "get_record", arguments: { id: "r1" } }))).toBe("record r1");
    expect(stderr()).toContain("unreadable");
  });

  it("answers initialize with a clear error when the server cannot be started", async () => {
    await expect(viaProxy([], ["/nonexistent/mcp-server-binary"], governorEnv())).rejects.toThrow(
      /Could not start or reach the MCP server behind the proxy/,
    );
  });
});

describe("Streamable HTTP", () => {
  it("serves --http on loopback with the Host check, and governs a --url server with a bearer from the environment", async () => {
    const { spawn } = await import("node:child_process");
    const { StreamableHTTPClientTransport } = await import("@modelcontextprotocol/sdk/client/streamableHttp.js");
    // The server: server-everything behind a first proxy served over HTTP with a token.
    const child = spawn(
      process.execPath,
      [CLI, "proxy", "--http", "--port", "0", "--token", "s3cret", "--", ...everything],
      {
        env: governorEnv(),
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    open.push({ close: async () => void child.kill("SIGTERM") });
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening on (\S+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      child.once("exit", () => reject(new Error("the HTTP proxy exited")));
    });
    const http = await import("node:http");
    const status = await new Promise<number>((resolve) => {
      const req = http.request(
        url,
        { method: "POST", headers: { host: "evil.example", "content-type": "application/json" } },
        (res) => resolve(res.statusCode!),
      );
      req.end("{}");
    });
    expect(status).toBe(403);

    const httpClient = new Client({ name: "proxy-test", version: "1.0.0" });
    await httpClient.connect(
      new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: "Bearer s3cret" } } }),
    );
    open.push(httpClient);
    expect(await httpClient.callTool({ name: "echo", arguments: { message: "over http" } })).toEqual({
      content: [{ type: "text", text: "Echo: over http" }],
    });

    // A stdio proxy in front of it, reaching it with --url and the token from an environment variable.
    const { client } = await connect(
      process.execPath,
      [CLI, "proxy", "--url", url, "--bearer-env", "UPSTREAM_TOKEN"],
      governorEnv(undefined, { UPSTREAM_TOKEN: "s3cret" }),
    );
    expect(await client.callTool({ name: "echo", arguments: { message: "chained" } })).toEqual({
      content: [{ type: "text", text: "Echo: chained" }],
    });
  });
});

describe("mcp install --proxy / --unproxy (built CLI)", () => {
  it("puts an existing Cursor entry behind the proxy, whose launch then governs the server, and restores it", async () => {
    const project = tempDir();
    const root = tempDir();
    const { mkdirSync, writeFileSync } = await import("node:fs");
    mkdirSync(path.join(project, ".cursor"));
    const config = path.join(project, ".cursor/mcp.json");
    const original = `{\n  // project servers\n  "mcpServers": {\n    "filesystem": {\n      "command": ${JSON.stringify(process.execPath)},\n      "args": [${JSON.stringify(FILESYSTEM)}, ${JSON.stringify(root)}]\n    }\n  }\n}\n`;
    writeFileSync(config, original);
    const cli = (args: string[]) =>
      promisify(execFile)(process.execPath, [CLI, ...args], { cwd: project, env: cleanEnv({}) });

    await cli(["mcp", "install", "--proxy", "filesystem", "--client", "cursor"]);
    const { parse } = await import("jsonc-parser");
    const entry = (
      parse(readFileSync(config, "utf8")) as { mcpServers: { filesystem: { command: string; args: string[] } } }
    ).mcpServers.filesystem;
    expect([entry.command, ...entry.args.slice(0, 5)]).toEqual([
      "npx",
      "-y",
      "governor-init",
      "proxy",
      "--name",
      "filesystem",
    ]);
    expect((await cli(["mcp", "install", "--proxy", "filesystem", "--client", "cursor"])).stdout).toContain(
      "already so",
    );

    // The entry's launch, with the built CLI in place of `npx -y governor-init`, is a governed server.
    mock.installPolicy("deny-all");
    const { client } = await connect(process.execPath, [CLI, ...entry.args.slice(2)], governorEnv());
    const denied = await client.callTool({
      name: "write_file",
      arguments: { path: path.join(root, "x.txt"), content: "x" },
    });
    expect(denied.isError).toBe(true);
    expect(existsSync(path.join(root, "x.txt"))).toBe(false);
    expect(mock.decisions().at(-1)!.intent).toMatchObject({
      context: { mcp_server: "filesystem", tool: "write_file" },
    });

    await cli(["mcp", "install", "--unproxy", "filesystem", "--client", "cursor"]);
    expect(readFileSync(config, "utf8")).toBe(original);
  });
});
