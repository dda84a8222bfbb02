import { tool } from "./my-tools";
import { z } from "zod";

// Same name as the frameworks' helper, but from this project's own module: not a framework tool.
export const getWeather = tool({
  name: "get_weather",
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }: { city: string }) => city,
});

function local(tool: (def: object) => object) {
  return tool({ name: "x", execute: async () => 1 });
}
export { local };
