// Fetches weather for the agent's get_weather tool.
import { z } from "zod";
import { govern } from "@governor/sdk";

const Weather = z.object({ temp: z.number() });

export async function getWeather(city: string): Promise<z.infer<typeof Weather>> {
  const res = await govern(fetch)(`https://api.weather.example/v1?q=${encodeURIComponent(city)}`, {
    headers: { accept: "application/json" },
  });
  if (!res.ok) throw new Error(`weather: ${res.status}`);
  return Weather.parse(await res.json());
}

export function ping(): Promise<Response> {
  return govern(globalThis.fetch)("https://status.example/health");
}

export const post = (url: string, body: unknown) =>
  govern(global.fetch)(url, { method: "POST", body: JSON.stringify(body) }).then((r) => r.json());
