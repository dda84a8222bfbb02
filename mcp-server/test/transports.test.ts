import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpServer, type RunningHttpServer } from "../http.js";
import { tempDir, textOf } from "./helpers.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// The standalone entry run from source through tsx: a real process speaking over real pipes.
const tsxLoader = pathToFileURL(path.join(repoRoot, "node_modules", "tsx", "dist", "loader.mjs")).href;
const serverArgs = ["--import", tsxLoader, path.join(repoRoot, "mcp-server", "bin.ts")];

// Structured content is checked field by field against what each test expects.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Structured = Record<string, any>;

const packageVersion = (JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string })
  .version;

describe("stdio", () => {
  it("serves a real client over a subprocess's stdin/stdout", async () => {
    const project = tempDir();
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: serverArgs,
      cwd: project,
      env: { ...process.env, GOVERNOR_ENFORCE_URL: "" } as Record<string, string>,
      stderr: "pipe",
    });
    const errors: Error[] = [];
    transport.onerror = (error) => errors.push(error);
    const client = new Client({ name: "stdio-test", version: "1.0.0" });
    await client.connect(transport);
    expect(client.getServerVersion()).toMatchObject({ name: "governor-docs", version: packageVersion });
    const { tools } = await client.listTools();
    expect(tools.length).toBe(12);
    const status = await client.callTool({ name: "governor_status", arguments: {} });
    expect((status.structuredContent as Structured).dir).toBe(project);
    const outside = await client.callTool({ name: "governor_status", arguments: { path: ".." } });
    expect(textOf(outside)).toMatch(/PATH_OUTSIDE_ROOT/);
    await client.close();
    // Any non-protocol byte on stdout would have surfaced as a parse error here.
    expect(errors).toEqual([]);
  });

  it("writes nothing but JSON-RPC lines to stdout", async () => {
    const child = spawn(process.execPath, serverArgs, { cwd: tempDir(), stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    const init = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
    };
    child.stdin.write(`${JSON.stringify(init)}\n`);
    child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })}\n`);
    child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" })}\n`);
    await new Promise<void>((resolve) => {
      const check = () => (stdout.split("\n").filter(Boolean).length >= 2 ? resolve() : setTimeout(check, 20));
      check();
    });
    child.stdin.end();
    await new Promise((resolve) => child.once("exit", resolve));
    const lines = stdout.split("\n").filter(Boolean);
    const messages = lines.map((line) => JSON.parse(line) as Structured);
    expect(messages.map((m) => m.id)).toEqual([1, 2]);
    expect(messages[0]!.result.serverInfo.name).toBe("governor-docs");
  });

  it("serves HTTP from the command line, printing the URL first on stdout, and stops on SIGTERM", async () => {
    const child = spawn(process.execPath, [...serverArgs, "--http", "--port", "0"], { cwd: tempDir(), stdio: "pipe" });
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        out += chunk;
        const match = /http:\/\/127\.0\.0\.1:\d+\/mcp/.exec(out.split("\n")[0] ?? "");
        if (match) resolve(match[0]);
      });
      child.once("exit", (code) => reject(new Error(`exited ${code}`)));
    });
    const client = new Client({ name: "http-cli-test", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    expect((await client.listPrompts()).prompts).toHaveLength(3);
    await client.close();
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  it("refuses a bad --port", async () => {
    const child = spawn(process.execPath, [...serverArgs, "--http", "--port", "http"], { stdio: "pipe" });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    expect(await new Promise((resolve) => child.once("exit", resolve))).toBe(2);
    expect(stderr).toMatch(/--port must be an integer/);
  });

  it("refuses to serve HTTP on a non-loopback host without a token", async () => {
    const env = { ...process.env };
    delete env.GOVERNOR_MCP_TOKEN;
    const child = spawn(process.execPath, [...serverArgs, "--http", "--host", "0.0.0.0"], { env, stdio: "pipe" });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const code = await new Promise((resolve) => child.once("exit", resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/without a bearer token/);
    expect(stderr).toMatch(/--token/);
  });
});

function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? "POST", headers: options.headers }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

const initializeBody = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
});
const jsonRpcHeaders = { "content-type": "application/json", accept: "application/json, text/event-stream" };

describe("Streamable HTTP on loopback", () => {
  let running: RunningHttpServer;
  const project = tempDir();
  beforeAll(async () => {
    running = await startHttpServer({ port: 0, roots: [project] });
  });
  afterAll(() => running.close());

  it("binds 127.0.0.1 by default and serves a real client, statelessly", async () => {
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    for (let i = 0; i < 2; i++) {
      const client = new Client({ name: "http-test", version: "1.0.0" });
      await client.connect(new StreamableHTTPClientTransport(new URL(running.url)));
      const { tools } = await client.listTools();
      expect(tools.length).toBe(12);
      const status = await client.callTool({ name: "governor_status", arguments: {} });
      expect((status.structuredContent as Structured).dir).toBe(project);
      await client.close();
    }
  });

  it("refuses a foreign Host header (DNS rebinding)", async () => {
    const res = await rawRequest(running.url, {
      headers: { ...jsonRpcHeaders, host: `evil.example:${running.port}` },
      body: initializeBody,
    });
    expect(res.status).toBe(403);
    expect(res.body).toMatch(/Invalid Host header/);
  });

  it("refuses a foreign Origin header", async () => {
    const res = await rawRequest(running.url, {
      headers: { ...jsonRpcHeaders, origin: "http://evil.example" },
      body: initializeBody,
    });
    expect(res.status).toBe(403);
    expect(res.body).toMatch(/Invalid Origin header/);
  });

  it("accepts localhost as Host and a loopback Origin", async () => {
    const res = await rawRequest(running.url, {
      headers: { ...jsonRpcHeaders, host: `localhost:${running.port}`, origin: `http://localhost:${running.port}` },
      body: initializeBody,
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).result.serverInfo.name).toBe("governor-docs");
  });

  it("answers GET with 405 (stateless) and other paths with 404", async () => {
    expect((await rawRequest(running.url, { method: "GET", headers: { accept: "text/event-stream" } })).status).toBe(
      405,
    );
    expect(
      (await rawRequest(running.url.replace("/mcp", "/other"), { headers: jsonRpcHeaders, body: initializeBody }))
        .status,
    ).toBe(404);
  });
});

describe("Streamable HTTP beyond loopback", () => {
  it("refuses to start without a token", async () => {
    const saved = process.env.GOVERNOR_MCP_TOKEN;
    delete process.env.GOVERNOR_MCP_TOKEN;
    try {
      await expect(startHttpServer({ host: "0.0.0.0", port: 0 })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    } finally {
      if (saved !== undefined) process.env.GOVERNOR_MCP_TOKEN = saved;
    }
  });

  it("requires the bearer token on every request", async () => {
    const running = await startHttpServer({ host: "0.0.0.0", port: 0, token: "s3cret-token", roots: [tempDir()] });
    try {
      const url = `http://127.0.0.1:${running.port}/mcp`;
      const missing = await rawRequest(url, { headers: jsonRpcHeaders, body: initializeBody });
      expect(missing.status).toBe(401);
      const wrong = await rawRequest(url, {
        headers: { ...jsonRpcHeaders, authorization: "Bearer nope" },
        body: initializeBody,
      });
      expect(wrong.status).toBe(401);
      const client = new Client({ name: "http-token-test", version: "1.0.0" });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(url), {
          requestInit: { headers: { authorization: "Bearer s3cret-token" } },
        }),
      );
      expect((await client.listTools()).tools.length).toBe(12);
      await client.close();
    } finally {
      await running.close();
    }
  });
});
