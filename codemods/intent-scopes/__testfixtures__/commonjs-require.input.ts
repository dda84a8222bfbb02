"use strict";
const { tool: makeTool } = require("@openai/agents");
const { z } = require("zod");

const saveNote = makeTool({
  name: "save_note",
  description: "Save a note to a file",
  parameters: z.object({ text: z.string() }),
  execute: async ({ text }) => `saved ${text.length} chars`,
});

module.exports = { saveNote };
