import { registerOTel } from "@vercel/otel";

export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("@governor/sdk/register");
  registerOTel({ serviceName: "agent" });
}
