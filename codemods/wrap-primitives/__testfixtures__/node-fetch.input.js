const fetch = require("node-fetch");
const crossFetch = require("cross-fetch").default;

async function post(url, body) {
  const res = await fetch(url, { method: "POST", body: JSON.stringify(body) });
  return res.json();
}

async function get(url) {
  return (await crossFetch(url)).text();
}

module.exports = { post, get };
