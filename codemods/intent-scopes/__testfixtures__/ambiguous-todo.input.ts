import { tool } from "@openai/agents";
import { z } from "zod";

export const magic = tool({
  name: "do_magic",
  description: "Makes things happen",
  parameters: z.object({ level: z.number() }),
  execute: async ({ level }) => `magic x${level}`,
});

export const sendEmail = tool({
  name: "notify_team",
  parameters: z.object({ message: z.string() }),
  execute: async ({ message }) => message,
});
