import { createTool } from "@mastra/core";
import { z } from "zod";
import { governTool } from "@governor/sdk";

export const publishPost = createTool({
  id: "publish-post",
  description: "Publish a blog post",
  inputSchema: z.object({ title: z.string(), tags: z.array(z.string()) }),
  execute: governTool({ tool: "publish-post", action: "write", resource: { type: "TODO(governor): choose a resource type (database, external_api, filesystem, process)" }, data: { volume: "bulk" } }, async function ({ context }) {
    return { url: `/posts/${context.title}` };
  }),
});
