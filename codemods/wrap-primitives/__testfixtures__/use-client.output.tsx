"use client";

import { useState } from "react";

export function Refresh() {
  const [n, setN] = useState(0);
  return <button onClick={() => fetch("/api/refresh").then(() => setN(n + 1))}>{n}</button>;
}
