import { useEffect, useState } from "react";
import { govern } from "@governor/sdk";

export function Status({ url }) {
  const [status, setStatus] = useState("loading");
  useEffect(() => {
    govern(fetch)(url).then((r) => setStatus(r.ok ? "up" : "down"));
  }, [url]);
  return <span className={status}>{status}</span>;
}
