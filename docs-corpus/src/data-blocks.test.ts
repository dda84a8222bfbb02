/**
 * Docs that cannot lie, data blocks: every JSON block parses, every YAML block parses, and every
 * policy the docs show compiles with the enforce mock's own policy loader.
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { compilePolicy } from "../../enforce-mock/index.js";
import { buildIndex } from "./build-index.js";

const corpusDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const index = buildIndex(corpusDir);
const blocks = index.docs
  .filter((doc) => doc.kind !== "api")
  .flatMap((doc) => doc.sectionIds.flatMap((id) => index.sections[id]!.code.map((block) => ({ doc, block }))))
  .filter(({ block }) => !block.fragment);

describe("data blocks in the docs", () => {
  it("JSON blocks parse", () => {
    const json = blocks.filter(({ block }) => block.lang === "json");
    expect(json.length).toBeGreaterThan(10);
    const broken: string[] = [];
    for (const { doc, block } of json) {
      // An audit log or decision log block holds one JSON object per line.
      const documents = block.code.trim().startsWith('{"time"') ? block.code.trim().split("\n") : [block.code];
      for (const text of documents) {
        try {
          JSON.parse(text.replace(/…/g, ""));
        } catch (error) {
          broken.push(`${doc.path}:${block.line}: ${(error as Error).message}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it("YAML blocks parse, and policies compile with the mock's loader", () => {
    const yamlBlocks = blocks.filter(({ block }) => block.lang === "yaml" || block.lang === "yml");
    const policies = yamlBlocks.filter(({ block }) => /\brules:/.test(block.code) && /\bdefault:/.test(block.code));
    expect(policies.length).toBeGreaterThan(0);
    for (const { doc, block } of yamlBlocks) {
      const parsed: unknown = parseYaml(block.code);
      expect(parsed, `${doc.path}:${block.line}`).toBeTypeOf("object");
    }
    for (const { doc, block } of policies) {
      expect(() => compilePolicy(parseYaml(block.code), `${doc.path}:${block.line}`)).not.toThrow();
    }
  });
});
