/**
 * Markdown → sections, at build time only (remark is a dev dependency; the shipped engine reads the
 * serialized index instead).
 */
import { unified } from "unified";
import remarkParse from "remark-parse";
import remarkFrontmatter from "remark-frontmatter";
import remarkGfm from "remark-gfm";
import { parse as parseYaml } from "yaml";
import { toString } from "mdast-util-to-string";
import { visit } from "unist-util-visit";
import type { Root, RootContent, Code } from "mdast";
import { ErrorCodes, GovernorInitError } from "../../core/errors.js";
import type { CodeBlock, DocFrontmatter, DocKind, DocRecord, DocSection } from "./model.js";

/** A document parsed but not yet numbered into an index. */
export interface ParsedDoc {
  doc: Omit<DocRecord, "sectionIds">;
  sections: Omit<DocSection, "id">[];
}

const processor = unified().use(remarkParse).use(remarkFrontmatter, ["yaml"]).use(remarkGfm);

/** GitHub's heading anchor: lower-case, punctuation dropped, spaces to hyphens. */
export function headingAnchor(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** Parses `title="src/agent.ts" fragment` style fence info. */
export function parseFenceMeta(meta: string | null | undefined): { file?: string; fragment: boolean } {
  const text = meta ?? "";
  const title = /\btitle=(?:"([^"]*)"|'([^']*)'|(\S+))/.exec(text);
  const file = title ? (title[1] ?? title[2] ?? title[3]) : undefined;
  const withoutTitle = text.replace(/\btitle=(?:"[^"]*"|'[^']*'|\S+)/, " ");
  const fragment = /(^|\s)fragment(\s|$)/.test(withoutTitle);
  return file === undefined ? { fragment } : { file, fragment };
}

// Identifiers a developer would type: camelCase and PascalCase names, SNAKE_CASE env vars, dotted
// member paths, CLI flags and scoped package names. Plain lower-case words are left to full-text search.
const IDENTIFIER_PATTERN = /--[a-z][a-z0-9-]+|@[a-z0-9-]+\/[a-z0-9-./]+|[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*/g;

/** Identifiers in a piece of code, lower-cased; dotted paths also contribute their last member. */
export function extractIdentifiers(code: string): string[] {
  const found = new Set<string>();
  for (const match of code.matchAll(IDENTIFIER_PATTERN)) {
    const token = match[0];
    const interesting =
      token.startsWith("--") ||
      token.startsWith("@") ||
      /[a-z][A-Z]|[A-Z]{2,}|_|\./.test(token) ||
      /^[A-Z]/.test(token);
    if (!interesting || token.length < 4) continue;
    const lower = token.toLowerCase();
    found.add(lower);
    if (lower.includes(".") && !lower.startsWith("@")) {
      const last = lower.slice(lower.lastIndexOf(".") + 1);
      if (last.length >= 4) found.add(last);
    }
  }
  return [...found];
}

function readFrontmatter(tree: Root, path: string): DocFrontmatter | undefined {
  const yamlNode = tree.children.find((node) => node.type === "yaml");
  if (!yamlNode || yamlNode.type !== "yaml") return undefined;
  let data: unknown;
  try {
    data = parseYaml(yamlNode.value);
  } catch (error) {
    throw new GovernorInitError(ErrorCodes.PARSE_ERROR, `${path}: the frontmatter is not valid YAML.`, {
      cause: error,
      suggestion: "Fix the YAML between the leading --- lines.",
    });
  }
  const record = (data ?? {}) as Record<string, unknown>;
  const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
  return {
    title: typeof record.title === "string" ? record.title : "",
    description: typeof record.description === "string" ? record.description : "",
    frameworks: list(record.frameworks),
    modes: list(record.modes),
    sdk: typeof record.sdk === "string" ? record.sdk : "",
    keywords: list(record.keywords),
  };
}

/**
 * Parses one Markdown document into its record and sections.
 *
 * @param source the file's text
 * @param meta slug, kind and path relative to `docs-corpus/`
 * @param options `requireFrontmatter`: hand-written documents must carry it; generated API pages need not.
 *   `maxSectionDepth`: deeper headings stay inside their parent's section (API pages: one section per symbol).
 *   `title`: the title when the frontmatter gives none.
 */
export function parseDoc(
  source: string,
  meta: { slug: string; kind: DocKind; path: string },
  options: { requireFrontmatter?: boolean; maxSectionDepth?: number; title?: string } = {},
): ParsedDoc {
  const { requireFrontmatter = true, maxSectionDepth = 6 } = options;
  const tree = processor.parse(source) as Root;
  const frontmatter = readFrontmatter(tree, meta.path);
  if (!frontmatter && requireFrontmatter) {
    throw new GovernorInitError(ErrorCodes.PARSE_ERROR, `${meta.path}: no frontmatter.`, {
      suggestion: "Start the file with --- title, description, frameworks, modes, sdk, keywords ---.",
    });
  }
  const body = tree.children.filter((node) => node.type !== "yaml");
  const firstH1 = body.find((node) => node.type === "heading" && node.depth === 1);
  const title = frontmatter?.title || options.title || (firstH1 ? toString(firstH1) : meta.slug);
  const bodyStart = body[0]?.position?.start.offset ?? source.length;
  const uri = `governor://docs/${meta.slug}`;

  // Group top-level nodes under the heading they follow; an H1 only titles the document.
  interface Group {
    heading?: { depth: number; text: string };
    nodes: RootContent[];
  }
  const groups: Group[] = [{ nodes: [] }];
  for (const node of body) {
    if (node.type === "heading" && node.depth === 1) continue;
    if (node.type === "heading" && node.depth <= maxSectionDepth) {
      groups.push({ heading: { depth: node.depth, text: toString(node) }, nodes: [node] });
    } else {
      groups[groups.length - 1]!.nodes.push(node);
    }
  }

  const anchorsSeen = new Map<string, number>();
  const path: { depth: number; text: string }[] = [];
  const sections: Omit<DocSection, "id">[] = [];
  for (const group of groups) {
    let anchor = "";
    let depth = 1;
    if (group.heading) {
      depth = group.heading.depth;
      while (path.length > 0 && path[path.length - 1]!.depth >= depth) path.pop();
      path.push(group.heading);
      const base = headingAnchor(group.heading.text);
      const seen = anchorsSeen.get(base) ?? 0;
      anchorsSeen.set(base, seen + 1);
      anchor = seen === 0 ? base : `${base}-${seen}`;
    }
    const content = group.nodes.slice(group.heading ? 1 : 0);
    if (content.length === 0) continue;
    const startNode = group.nodes[0]!;
    const endNode = group.nodes[group.nodes.length - 1]!;
    const markdown = source.slice(startNode.position!.start.offset!, endNode.position!.end.offset!);

    const code: CodeBlock[] = [];
    const proseParts: string[] = [];
    const plainParts: string[] = [];
    const identifiers = new Set<string>();
    // A heading that names an identifier (`GOVERNOR_EXEMPT`, `withActor`) is about it above all.
    if (group.heading) for (const id of extractIdentifiers(group.heading.text)) identifiers.add(id);
    for (const node of content) {
      if (node.type === "code") {
        const fence = node as Code;
        const parsed = parseFenceMeta(fence.meta);
        code.push({
          lang: (fence.lang ?? "").toLowerCase(),
          ...(parsed.file === undefined ? {} : { file: parsed.file }),
          fragment: parsed.fragment,
          meta: fence.meta ?? "",
          code: fence.value,
          line: fence.position!.start.line,
        });
        for (const id of extractIdentifiers(fence.value)) identifiers.add(id);
        continue;
      }
      proseParts.push(source.slice(node.position!.start.offset!, node.position!.end.offset!));
      plainParts.push(toString(node));
      visit(node, "inlineCode", (inline) => {
        for (const id of extractIdentifiers(inline.value)) identifiers.add(id);
      });
    }
    sections.push({
      slug: meta.slug,
      uri: anchor ? `${uri}#${anchor}` : uri,
      anchor,
      headingPath: path.map((entry) => entry.text),
      depth,
      markdown,
      prose: proseParts.join("\n\n"),
      plainText: plainParts.join("\n"),
      code,
      identifiers: [...identifiers],
    });
  }

  return {
    doc: {
      title,
      description: frontmatter?.description ?? "",
      frameworks: frontmatter?.frameworks ?? [],
      modes: frontmatter?.modes ?? [],
      sdk: frontmatter?.sdk ?? "",
      keywords: frontmatter?.keywords ?? [],
      slug: meta.slug,
      uri,
      kind: meta.kind,
      path: meta.path,
      markdown: source.slice(bodyStart).trim() + "\n",
    },
    sections,
  };
}
