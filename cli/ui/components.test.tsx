import { describe, expect, it, vi } from "vitest";
// Ink decides when first imported whether it draws interactively; under CI=true it prints only the
// last frame, and these tests type keys into live prompts. vi.hoisted runs before the imports below.
vi.hoisted(() => {
  process.env.CI = "false";
  process.env.CONTINUOUS_INTEGRATION = "false";
});

import { render } from "ink-testing-library";
import { DiffReview, MultiSelect, Select, TextPrompt } from "./components.js";

const KEY = {
  up: "\u001B[A",
  down: "\u001B[B",
  right: "\u001B[C",
  left: "\u001B[D",
  enter: "\r",
  escape: "\u001B",
  ctrlC: "\u0003",
};

// ink processes input on the next ticks; give it a moment between keys.
const tick = () => new Promise((resolve) => setTimeout(resolve, 50));
async function press(stdin: { write: (s: string) => void }, ...keys: string[]) {
  for (const key of keys) {
    stdin.write(key);
    await tick();
  }
}

describe("Select", () => {
  const choices = [
    { value: "preload", label: "Zero-code preload" },
    { value: "enable", label: "One-liner enable" },
    { value: "hybrid", label: "Hybrid (recommended)" },
  ] as const;

  it("starts on the initial choice, moves with arrows (wrapping) and submits with enter", async () => {
    const onSubmit = vi.fn();
    const { stdin, lastFrame } = render(
      <Select message="Mode?" choices={choices} initial="hybrid" onSubmit={onSubmit} onCancel={() => {}} />,
    );
    await tick();
    expect(lastFrame()).toContain("❯ Hybrid (recommended)");
    await press(stdin, KEY.down); // wraps to the first
    expect(lastFrame()).toContain("❯ Zero-code preload");
    await press(stdin, KEY.down, KEY.enter);
    expect(onSubmit).toHaveBeenCalledWith("enable");
    expect(lastFrame()).toContain("✔ Mode? One-liner enable");
  });

  it("cancels on escape and on ctrl-c without submitting", async () => {
    for (const key of [KEY.escape, KEY.ctrlC]) {
      const onSubmit = vi.fn();
      const onCancel = vi.fn();
      const { stdin } = render(<Select message="Mode?" choices={choices} onSubmit={onSubmit} onCancel={onCancel} />);
      await tick();
      await press(stdin, key);
      await new Promise((r) => setTimeout(r, 60)); // escape is disambiguated after a short delay
      expect(onCancel).toHaveBeenCalled();
      expect(onSubmit).not.toHaveBeenCalled();
    }
  });
});

describe("MultiSelect", () => {
  const choices = [
    { value: "cursor", label: "Cursor" },
    { value: "vscode", label: "VS Code" },
    { value: "codex", label: "Codex CLI" },
  ] as const;

  it("toggles with space, all/none with a, and submits the selection in menu order", async () => {
    const onSubmit = vi.fn();
    const { stdin, lastFrame } = render(
      <MultiSelect message="Agents?" choices={choices} onSubmit={onSubmit} onCancel={() => {}} />,
    );
    await tick();
    await press(stdin, KEY.down, KEY.down, " ", KEY.up, KEY.up, " ");
    expect(lastFrame()).toContain("◉ Cursor");
    expect(lastFrame()).toContain("◯ VS Code");
    expect(lastFrame()).toContain("◉ Codex CLI");
    await press(stdin, KEY.enter);
    expect(onSubmit).toHaveBeenCalledWith(["cursor", "codex"]);
  });

  it("a selects all, a again selects none", async () => {
    const onSubmit = vi.fn();
    const { stdin } = render(
      <MultiSelect message="Agents?" choices={choices} initial={["vscode"]} onSubmit={onSubmit} onCancel={() => {}} />,
    );
    await tick();
    await press(stdin, "a", "a", "a", KEY.enter);
    expect(onSubmit).toHaveBeenCalledWith(["cursor", "vscode", "codex"]);
  });
});

describe("TextPrompt", () => {
  it("collects typed text, handles backspace, and allows an empty answer", async () => {
    const onSubmit = vi.fn();
    const { stdin, lastFrame } = render(
      <TextPrompt message="Command?" placeholder="e.g. npm start" onSubmit={onSubmit} onCancel={() => {}} />,
    );
    await tick();
    expect(lastFrame()).toContain("e.g. npm start");
    await press(stdin, "node agent.jsx", "\u007F", KEY.enter);
    expect(onSubmit).toHaveBeenCalledWith("node agent.js");

    const empty = vi.fn();
    const second = render(<TextPrompt message="Command?" onSubmit={empty} onCancel={() => {}} />);
    await tick();
    await press(second.stdin, KEY.enter);
    expect(empty).toHaveBeenCalledWith("");
    expect(second.lastFrame()).toContain("skipped");
  });
});

describe("DiffReview", () => {
  const files = [
    {
      path: "src/agent.ts",
      diff: '--- a/src/agent.ts\n+++ b/src/agent.ts\n@@ -1,1 +1,2 @@\n+import "@governor/sdk/register";\n const x = 1;\n',
      edits: [{ line: 1, description: "import @governor/sdk/register first" }],
    },
    {
      path: "src/tools.ts",
      diff: "--- a/src/tools.ts\n+++ b/src/tools.ts\n@@ -3,1 +3,1 @@\n-  await fetch(url);\n+  await govern(fetch)(url);\n",
      edits: [
        { line: 3, description: "wrap fetch(...) with govern()", siteId: "src/tools.ts:3:9:wrap-primitive" },
        { line: 9, description: "wrap cp.exec(...) with govern()", siteId: "src/tools.ts:9:3:wrap-primitive" },
      ],
    },
  ];

  it("shows one file's diff at a time and moves between files", async () => {
    const { stdin, lastFrame } = render(<DiffReview files={files} onSubmit={() => {}} onCancel={() => {}} />);
    await tick();
    expect(lastFrame()).toContain("file 1/2: src/agent.ts");
    expect(lastFrame()).toContain('+import "@governor/sdk/register";');
    expect(lastFrame()).not.toContain("govern(fetch)");
    await press(stdin, KEY.right);
    expect(lastFrame()).toContain("file 2/2: src/tools.ts");
    expect(lastFrame()).toContain("+  await govern(fetch)(url);");
    await press(stdin, KEY.right); // stays on the last file
    expect(lastFrame()).toContain("file 2/2");
  });

  it("turns files and single sites off, and submits exactly those", async () => {
    const onSubmit = vi.fn();
    const { stdin, lastFrame } = render(<DiffReview files={files} onSubmit={onSubmit} onCancel={() => {}} />);
    await tick();
    await press(stdin, " "); // agent.ts off
    expect(lastFrame()).toContain("(off: will not be changed)");
    await press(stdin, " ", " "); // off, on, off again? two toggles: back on, then…
    await press(stdin, KEY.right, KEY.down, "x"); // second edit of tools.ts off
    expect(lastFrame()).toContain("◯ L9 wrap cp.exec");
    expect(lastFrame()).toContain("◉ L3 wrap fetch");
    await press(stdin, KEY.enter);
    expect(onSubmit).toHaveBeenCalledWith(["src/agent.ts", "src/tools.ts:9:3:wrap-primitive"]);
    expect(lastFrame()).toContain("1 file(s) turned off, 1 site(s) turned off");
  });
});
