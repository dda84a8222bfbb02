/* global URL */
// Stand-ins for the third-party APIs the agent talks to (a weather API and a payments API),
// served on loopback so the demo runs offline.
import http from "node:http";

export function startServices() {
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      if (req.url?.startsWith("/weather")) {
        const city = new URL(req.url, "http://x").searchParams.get("city") ?? "Paris";
        res.end(JSON.stringify({ city, forecast: "light rain", celsius: 14 }));
      } else if (req.url === "/payments" && req.method === "POST") {
        const { amount, to } = JSON.parse(body || "{}");
        res.end(JSON.stringify({ id: "pay_" + Date.now(), amount, to, status: "sent" }));
      } else {
        res.statusCode = 404;
        res.end(JSON.stringify({ error: "not found" }));
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}
