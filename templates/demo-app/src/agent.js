/* global process, console */
// A plain agent loop: the "model" picks a tool, the loop runs it and feeds the result back.
// The model is scripted so the demo is deterministic and needs no API key.
import { startServices } from "./services.js";
import { createTools } from "./tools.js";

const script = [
  { tool: "get_weather", args: { city: "Lisbon" } },
  { tool: "save_note", args: { file: "weather.txt", text: "Lisbon: light rain, 14°C\n" } },
  { tool: "disk_usage", args: {} },
  { tool: "send_payment", args: { to: "acct_42", amount: 1200 } },
];

function scriptedModel() {
  let step = 0;
  return { next: () => script[step++] };
}

async function main() {
  const services = await startServices();
  const tools = new Map(createTools(services.url).map((tool) => [tool.name, tool]));
  const model = scriptedModel();
  const transcript = [];
  let failures = 0;
  try {
    for (let call = model.next(); call; call = model.next()) {
      try {
        const result = await tools.get(call.tool).execute(call.args);
        transcript.push({ tool: call.tool, ok: true, result });
        console.log(`tool ${call.tool}: ok ${JSON.stringify(result)}`);
      } catch (error) {
        failures++;
        transcript.push({ tool: call.tool, ok: false, error: error.message });
        console.log(`tool ${call.tool}: refused (${error.message})`);
      }
    }
  } finally {
    await services.close();
  }
  console.log(`agent finished: ${transcript.length - failures} tool call(s) ran, ${failures} refused`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
