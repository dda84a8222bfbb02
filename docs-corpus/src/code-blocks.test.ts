/**
 * Docs that cannot lie: every TypeScript/JavaScript code block in the corpus type-checks against the
 * SDK's real source and, where installed, the frameworks' real types.
 *
 * Each document's blocks form one small virtual project: a block titled `src/agent.ts` lives at that
 * path, so `import { supportAgent } from "./agent.js"` in another block of the same document resolves.
 * A block whose fence info says `fragment` is not a complete module and is skipped.
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { buildIndex } from "./build-index.js";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../..");
const corpusDir = resolve(here, "..");
const virtualRoot = join(corpusDir, ".virtual");
const CHECKED_LANGS = new Map([
  ["ts", ".ts"],
  ["typescript", ".ts"],
  ["js", ".js"],
  ["javascript", ".js"],
]);

interface VirtualFile {
  path: string;
  source: string;
  origin: string;
}

function virtualFiles(): VirtualFile[] {
  const index = buildIndex(corpusDir);
  const files: VirtualFile[] = [];
  // The generated API reference is the SDK's own signatures, not examples to compile.
  for (const doc of index.docs.filter((d) => d.kind !== "api")) {
    const used = new Set<string>();
    let counter = 0;
    for (const id of doc.sectionIds) {
      for (const block of index.sections[id]!.code) {
        const extension = CHECKED_LANGS.get(block.lang);
        if (!extension || block.fragment) continue;
        counter++;
        let relativePath =
          block.file && /\.[cm]?[jt]sx?$/.test(block.file)
            ? block.file.replace(/^\/+/, "")
            : `block-${counter}${extension}`;
        // The same file shown twice (two variants) gets a separate copy.
        if (used.has(relativePath)) relativePath = `variant-${counter}/${relativePath}`;
        used.add(relativePath);
        files.push({
          path: join(virtualRoot, doc.slug, relativePath),
          source: block.code,
          origin: `docs-corpus/${doc.path}:${block.line}`,
        });
      }
    }
  }
  return files;
}

function check(files: VirtualFile[]): string[] {
  const { options, errors } = ts.convertCompilerOptionsFromJson(
    {
      strict: true,
      noEmit: true,
      target: "ES2022",
      module: "Preserve",
      moduleResolution: "Bundler",
      moduleDetection: "force",
      lib: ["ES2023"],
      types: ["node"],
      skipLibCheck: true,
      esModuleInterop: true,
      allowJs: true,
      checkJs: true,
      resolveJsonModule: true,
      baseUrl: repoRoot,
      paths: {
        "@governor/sdk": ["sdk/src/index.ts"],
        "@governor/sdk/register": ["sdk/src/register.ts"],
        "@governor/sdk/testing": ["sdk/src/testing.ts"],
        "@governor/sdk/protocol": ["sdk/src/protocol.ts"],
        "@governor/sdk/edge": ["sdk/src/edge.ts"],
      },
    },
    repoRoot,
  );
  expect(errors).toEqual([]);
  const byPath = new Map(files.map((file) => [file.path, file]));
  const host = ts.createCompilerHost(options);
  const originalGetSourceFile = host.getSourceFile.bind(host);
  const originalFileExists = host.fileExists.bind(host);
  const originalReadFile = host.readFile.bind(host);
  const virtualDirs = new Set<string>();
  for (const path of byPath.keys())
    for (let dir = dirname(path); dir.startsWith(virtualRoot); dir = dirname(dir)) virtualDirs.add(dir);
  const originalDirectoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (dir) =>
    virtualDirs.has(dir) || (originalDirectoryExists ? originalDirectoryExists(dir) : true);
  host.fileExists = (fileName) => byPath.has(fileName) || originalFileExists(fileName);
  host.readFile = (fileName) => byPath.get(fileName)?.source ?? originalReadFile(fileName);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const file = byPath.get(fileName);
    if (file) return ts.createSourceFile(fileName, file.source, languageVersion, true);
    return originalGetSourceFile(fileName, languageVersion, onError, shouldCreate);
  };
  const ambient = join(corpusDir, "test", "ambient", "frameworks.d.ts");
  const program = ts.createProgram([...byPath.keys(), ambient], options, host);
  const problems: string[] = [];
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const file = diagnostic.file ? byPath.get(diagnostic.file.fileName) : undefined;
    // Only the docs' blocks are judged here; the SDK and the frameworks have their own checks.
    if (!file || diagnostic.start === undefined) continue;
    const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start);
    const blockLine = Number(file.origin.slice(file.origin.lastIndexOf(":") + 1));
    const where = `${file.origin.slice(0, file.origin.lastIndexOf(":"))}:${blockLine + 1 + line}`;
    problems.push(`${where}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`);
  }
  return problems;
}

describe("code blocks in the docs", () => {
  const files = virtualFiles();

  it("include TypeScript blocks from every recipe", () => {
    expect(files.length).toBeGreaterThan(40);
    expect(new Set(files.map((file) => file.origin.split(":")[0]))).toContain("docs-corpus/recipes/openai-agents.md");
  });

  it("type-check against the SDK's source and the frameworks' types", { timeout: 240_000 }, () => {
    expect(check(files)).toEqual([]);
  });

  it("would catch a block calling an SDK function that does not exist", { timeout: 240_000 }, () => {
    const bad: VirtualFile = {
      path: join(virtualRoot, "negative-control", "index.ts"),
      source: 'import { governor } from "@governor/sdk";\ngovernor.enableEverything();\n',
      origin: "negative-control.md:1",
    };
    expect(check([bad]).join("\n")).toMatch(/enableEverything/);
  });
});
