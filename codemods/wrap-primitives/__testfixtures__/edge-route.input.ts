import { NextResponse } from "next/server";

export const runtime = "edge";

export async function POST(request: Request) {
  const order = await request.json();
  const charge = await fetch("https://api.stripe.com/v1/charges", {
    method: "POST",
    body: JSON.stringify({ amount: order.amount }),
  });
  return NextResponse.json(await charge.json());
}
