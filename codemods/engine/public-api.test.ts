import { describe, expect, it } from "vitest";
import * as codemods from "../index.js";

describe("codemods public API", () => {
  it("exports inferIntent (the MCP server's build_intent and the wizard infer intents with it)", () => {
    expect(codemods.inferIntent({ name: "get_weather" })).toMatchObject({
      intent: { action: "read", resource: { type: "external_api", name: "weather" } },
      confident: true,
    });
  });
});
