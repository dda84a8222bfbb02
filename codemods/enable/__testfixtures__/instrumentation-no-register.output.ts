export function onRequestError(error: unknown) {
  console.error(error);
}

export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("@governor/sdk/register");
}
