import { NextResponse } from "next/server";
import { govern } from "@governor/sdk/edge";

export const runtime = "edge";

export async function POST(request: Request) {
  const order = await request.json();
  const charge = await govern(fetch)("https://api.stripe.com/v1/charges", {
    method: "POST",
    body: JSON.stringify({ amount: order.amount }),
  });
  return NextResponse.json(await charge.json());
}
