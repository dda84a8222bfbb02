import { useEffect, useState } from "react";

export function Status({ url }) {
  const [status, setStatus] = useState("loading");
  useEffect(() => {
    fetch(url).then((r) => setStatus(r.ok ? "up" : "down"));
  }, [url]);
  return <span className={status}>{status}</span>;
}
