import { createTool } from "@mastra/core";
import { z } from "zod";

export const publishPost = createTool({
  id: "publish-post",
  description: "Publish a blog post",
  inputSchema: z.object({ title: z.string(), tags: z.array(z.string()) }),
  async execute({ context }) {
    return { url: `/posts/${context.title}` };
  },
});
