import { describe, expect, it } from "vitest";
import {
  TODO_MARKER,
  governToolOpen,
  renderScopeIntent,
  renderToolSpec,
  stringLiteral,
  toolScopeSnippet,
  withIntentOpen,
} from "../../templates/snippets/scopes.js";

const spec = {
  tool: "get_user's_orders",
  action: "read",
  resource: { type: "database", name: "order" },
  data: { pii: true, volume: "bulk" },
};

describe("scope snippets", () => {
  it("renders a governTool spec in either quote style, escaping as needed", () => {
    expect(renderToolSpec(spec)).toBe(
      `{ tool: "get_user's_orders", action: "read", resource: { type: "database", name: "order" }, data: { pii: true, volume: "bulk" } }`,
    );
    expect(renderToolSpec(spec, "'")).toBe(
      `{ tool: 'get_user\\'s_orders', action: 'read', resource: { type: 'database', name: 'order' }, data: { pii: true, volume: 'bulk' } }`,
    );
    expect(stringLiteral('say "hi"', "'")).toBe(`'say "hi"'`);
    expect(stringLiteral("a\nb")).toBe('"a\\nb"');
  });

  it("renders withIntent scopes with a literal or a run-time tool name", () => {
    expect(renderScopeIntent({ ...spec, data: undefined }, '"')).toBe(
      `{ action: "read", resource: { type: "database", name: "order" }, context: { tool: "get_user's_orders" } }`,
    );
    expect(withIntentOpen({ ...spec, data: undefined }, '"', "request.params.name")).toBe(
      `return governor.withIntent({ action: "read", resource: { type: "database", name: "order" }, context: { tool: request.params.name } }, async () => {`,
    );
    expect(governToolOpen({ tool: "t", action: "read", resource: { type: "filesystem" } }, '"', "gt")).toBe(
      `gt({ tool: "t", action: "read", resource: { type: "filesystem" } }, `,
    );
  });

  it("gives the wizard a paste-able snippet for ESM and CommonJS", () => {
    expect(toolScopeSnippet(spec)).toContain('import { governTool } from "@governor/sdk";');
    expect(toolScopeSnippet(spec, "cjs")).toContain('const { governTool } = require("@governor/sdk");');
    expect(toolScopeSnippet(spec)).toContain(`execute: governTool(${renderToolSpec(spec)}, async (input) => {`);
    expect(TODO_MARKER).toBe("TODO(governor)");
  });
});
