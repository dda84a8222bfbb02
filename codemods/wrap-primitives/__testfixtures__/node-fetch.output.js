const fetch = require("node-fetch");
const crossFetch = require("cross-fetch").default;
const { govern } = require("@governor/sdk");

async function post(url, body) {
  const res = await govern(fetch, "fetch")(url, { method: "POST", body: JSON.stringify(body) });
  return res.json();
}

async function get(url) {
  return (await govern(crossFetch, "fetch")(url)).text();
}

module.exports = { post, get };
